import request from 'supertest';
import { ErrorCode } from '#src/contract/index.js';
import { registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

describe('rate limits (429 RATE_LIMITED with Retry-After)', () => {
  let testApp: TestApp;
  const password = 'correct horse battery';

  beforeAll(async () => {
    testApp = await createTestApp({ env: { RATE_LIMIT_LOGIN_PER_MIN: '10', RATE_LIMIT_REGISTER_PER_MIN: '5' } });
    await request(testApp.http).post('/api/auth/register').send({ email: 'victim@example.test', password }).expect(201);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('lets 10 bad logins for one e-mail through as 401 and answers the other 50 with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let lastLimited: request.Response | undefined;
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const response = await request(testApp.http)
        .post('/api/auth/login')
        .send({ email: 'victim@example.test', password: `guess-${attempt}` });
      statuses.push(response.status);
      if (response.status === 429) lastLimited = response;
    }

    expect(statuses.slice(0, 10)).toEqual(Array<number>(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array<number>(50).fill(429));
    expect(lastLimited?.body).toMatchObject({ statusCode: 429, code: ErrorCode.RateLimited });
    const retryAfter = Number(lastLimited?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Even the right password waits: the limit is on attempts, not on failures.
    await request(testApp.http).post('/api/auth/login').send({ email: 'victim@example.test', password }).expect(429);
  });

  it('counts each e-mail separately (per e-mail + IP), in any letter case', async () => {
    await request(testApp.http).post('/api/auth/login').send({ email: 'other@example.test', password }).expect(401);
    await request(testApp.http).post('/api/auth/login').send({ email: ' VICTIM@example.test', password }).expect(429);
  });

  it('limits registrations per IP', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      const response = await request(testApp.http)
        .post('/api/auth/register')
        .send({ email: `signup${index}@example.test`, password });
      statuses.push(response.status);
    }

    // One registration was spent in beforeAll.
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429, 429]);
  });
});

describe('login rate limit per IP (password spraying)', () => {
  it('refuses logins from one IP across many e-mails beyond ten times the per-e-mail limit', async () => {
    const testApp = await createTestApp({ env: { RATE_LIMIT_LOGIN_PER_MIN: '10' } });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 110; index += 1) {
        const response = await request(testApp.http)
          .post('/api/auth/login')
          .send({ email: `spray${index}@example.test`, password: 'Summer2026!' });
        statuses.push(response.status);
      }

      expect(statuses.slice(0, 100)).toEqual(Array<number>(100).fill(401));
      expect(statuses.slice(100)).toEqual(Array<number>(10).fill(429));
    } finally {
      await testApp.close();
    }
  });
});

describe('refresh and logout: one budget per IP, ten times the login limit', () => {
  it('answers the 21st refresh-or-logout of a minute from one IP with 429', async () => {
    const testApp = await createTestApp({ env: { RATE_LIMIT_LOGIN_PER_MIN: '2' } });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 22; index += 1) {
        const path = index % 2 === 0 ? '/api/auth/logout' : '/api/auth/refresh';
        const response = await request(testApp.http)
          .post(path)
          .send({ refreshToken: `cgr_never-issued-token-${index}` });
        statuses.push(response.status);
      }

      // Unknown tokens: logout is a no-op (204), refresh a 401; the two routes count together.
      expect(statuses.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? 204 : 401)));
      expect(statuses.slice(20)).toEqual([429, 429]);
    } finally {
      await testApp.close();
    }
  });
});

describe('chat limit: one budget per user across /api/ai/chat and /v1/chat/completions', () => {
  it('counts both routes together', async () => {
    const testApp = await createTestApp({ env: { RATE_LIMIT_CHAT_PER_MIN: '4' } });
    try {
      const session = await registerUser(testApp.http);
      const created = await request(testApp.http)
        .post('/api/keys')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ name: 'limits' })
        .expect(201);
      const key = (created.body as { key: string }).key;
      const chat = () =>
        request(testApp.http)
          .post('/api/ai/chat')
          .set('Authorization', `Bearer ${session.accessToken}`)
          .send({ prompt: 'hi', maxTokens: 8 });
      const completion = () =>
        request(testApp.http)
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${key}`)
          .send({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 });

      const statuses = [
        (await chat()).status,
        (await completion()).status,
        (await chat()).status,
        (await completion()).status,
        (await completion()).status,
        (await chat()).status,
      ];

      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await testApp.close();
    }
  });
});
