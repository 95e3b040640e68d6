import request from 'supertest';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

const allowed = 'https://app.example';

/**
 * CORS_ORIGINS lists the browser origins that may call the API (README): they get the CORS headers,
 * preflights included, with X-Request-Id and Retry-After readable; any other origin gets none.
 */
describe('CORS with listed origins', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { CORS_ORIGINS: `${allowed},https://other.example` } });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers a listed origin with its CORS headers, the request id and Retry-After exposed', async () => {
    const response = await request(testApp.http).get('/api/ai/models').set('Origin', allowed).expect(401);

    expect(response.headers['access-control-allow-origin']).toBe(allowed);
    const exposed = String(response.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
    expect(exposed.sort()).toEqual(['retry-after', 'x-request-id']);
  });

  it('answers a preflight from a listed origin, and caches it for ten minutes', async () => {
    const response = await request(testApp.http)
      .options('/api/ai/chat')
      .set('Origin', allowed)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');

    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(allowed);
    expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect(response.headers['access-control-max-age']).toBe('600');
  });

  it('gives an origin that is not listed no CORS headers, preflight or not', async () => {
    const simple = await request(testApp.http).get('/health/live').set('Origin', 'https://evil.example').expect(200);
    const preflight = await request(testApp.http)
      .options('/api/ai/chat')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');

    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
