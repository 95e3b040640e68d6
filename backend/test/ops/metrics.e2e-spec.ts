import request from 'supertest';
import { ErrorCode } from '#src/contract/index.js';
import { HoldSweeper } from '#src/credits/hold-sweeper.service.js';
import { DatabaseRole } from '#src/database/database-roles.js';
import { registerUser } from '#test/support/sessions.js';
import { creditsRepositoryOn } from '#test/support/credits-on-pool.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** The value of one sample of the Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { AI_TIMEOUT_MS: '1000' } });
  });

  afterAll(async () => {
    await testApp.close();
  });

  const scrape = async (): Promise<string> => (await request(testApp.http).get('/metrics').expect(200)).text;

  it('counts requests by route pattern, AI outcomes, credits, and open holds and pool state', async () => {
    const session = await registerUser(testApp.http);
    const chat = (body: object) =>
      request(testApp.http).post('/api/ai/chat').set('Authorization', `Bearer ${session.accessToken}`).send(body);
    const charged = ((await chat({ prompt: 'count me' }).expect(200)).body as { creditsCharged: number })
      .creditsCharged;
    await chat({ prompt: 'fail', model: 'demo-error' }).expect(500);
    await request(testApp.http).get(`/api/keys/nothing-here`).expect(404);

    const text = await scrape();

    expect(sample(text, 'creditgate_ai_attempts_total{endpoint="chat",model="deepseek-flash",status="success"}')).toBe(
      1,
    );
    expect(
      sample(text, 'creditgate_ai_attempts_total{endpoint="chat",model="demo-error",status="provider_error"}'),
    ).toBe(1);
    expect(sample(text, 'creditgate_credits_charged_total{model="deepseek-flash"}')).toBe(charged);
    expect(sample(text, 'creditgate_http_requests_total{method="POST",route="/api/ai/chat",status="200"}')).toBe(1);
    expect(sample(text, 'creditgate_http_requests_total{method="POST",route="/api/ai/chat",status="500"}')).toBe(1);
    expect(sample(text, 'creditgate_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, 'creditgate_ai_upstream_latency_seconds_count{model="deepseek-flash",status="success"}')).toBe(
      1,
    );
    expect(sample(text, 'creditgate_credit_holds_open')).toBe(0);
    expect(sample(text, 'creditgate_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(text).toContain('creditgate_process_resident_memory_bytes');
  });

  it('counts holds the sweeper released, and shows open holds', async () => {
    const session = await registerUser(testApp.http);
    const runtime = testApp.database.pool({ role: DatabaseRole.Runtime });
    const reservation = await creditsRepositoryOn(runtime).reserve({
      userId: session.user.id,
      amount: 10,
      ttlMs: 60_000,
      apiKeyId: null,
      model: 'deepseek-flash',
    });
    const hold = reservation.kind === 'reserved' ? reservation.holdId : null;
    expect(sample(await scrape(), 'creditgate_credit_holds_open')).toBe(1);

    await testApp.database
      .pool()
      .query(`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [hold]);
    await testApp.app.get(HoldSweeper).sweep();

    const text = await scrape();
    expect(sample(text, 'creditgate_holds_expired_total')).toBe(1);
    expect(sample(text, 'creditgate_credit_holds_open')).toBe(0);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'scrape-token-0123456789abcdef';
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { METRICS_TOKEN: token } });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('asks every client for the token, loopback included: 401 without it or with another', async () => {
    const missing = await request(testApp.http).get('/metrics').expect(401);
    expect(missing.body).toMatchObject({ code: ErrorCode.Unauthenticated });
    await request(testApp.http).get('/metrics').set('Authorization', 'Bearer not-the-token').expect(401);
    await request(testApp.http).get('/metrics').set('Authorization', `Basic ${token}`).expect(401);
  });

  it('serves the metrics to a bearer of the token', async () => {
    const response = await request(testApp.http).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);

    expect(response.text).toContain('creditgate_http_requests_total');
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
