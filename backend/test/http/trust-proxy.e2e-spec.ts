import request from 'supertest';
import { ErrorCode } from '#src/contract/index.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/**
 * Whose address a request comes from decides its per-IP rate limits (and /metrics access). Only a
 * proxy named in TRUST_PROXY may say so with X-Forwarded-For (SPEC §1); by default the socket's
 * peer is the client, whatever the header claims.
 */
describe('TRUST_PROXY', () => {
  /** Eleven logins for different e-mails, each claiming another client address. */
  async function spoofedLogins(testApp: TestApp): Promise<number[]> {
    const statuses: number[] = [];
    for (let index = 0; index < 11; index += 1) {
      const response = await request(testApp.http)
        .post('/api/auth/login')
        .set('X-Forwarded-For', `203.0.113.${index + 1}`)
        .send({ email: `spoof${index}@example.test`, password: 'Summer2026!' });
      statuses.push(response.status);
    }
    return statuses;
  }

  describe('unset (the default)', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      // Ten logins per IP a minute (ten times the per-e-mail limit of 1).
      testApp = await createTestApp({ env: { RATE_LIMIT_LOGIN_PER_MIN: '1' } });
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('ignores X-Forwarded-For: a client rotating it still meets the per-IP login limit', async () => {
      const statuses = await spoofedLogins(testApp);

      expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
    });

    it('serves /metrics to the loopback client whatever address it claims', async () => {
      await request(testApp.http).get('/metrics').set('X-Forwarded-For', '203.0.113.9').expect(200);
    });
  });

  describe('naming the proxy (127.0.0.1)', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp({ env: { RATE_LIMIT_LOGIN_PER_MIN: '1', TRUST_PROXY: '127.0.0.1, ::1' } });
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('believes the address the proxy forwards: each client has its own budget', async () => {
      const statuses = await spoofedLogins(testApp);

      expect(statuses).toEqual(Array<number>(11).fill(401));
    });

    it('refuses /metrics to a client the proxy reports as remote, and serves the proxy itself', async () => {
      const remote = await request(testApp.http).get('/metrics').set('X-Forwarded-For', '203.0.113.9').expect(403);
      expect(remote.body).toMatchObject({ code: ErrorCode.Forbidden });

      await request(testApp.http).get('/metrics').expect(200);
    });
  });
});
