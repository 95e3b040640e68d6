import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { Public } from '#src/common/auth.decorators.js';
import { ErrorCode } from '#src/contract/index.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP error contract', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers an unknown route with 404 in the SPEC error shape and a request id', async () => {
    const response = await request(testApp.http).get('/api/does-not-exist').expect(404);

    expect(response.body).toEqual({
      statusCode: 404,
      code: ErrorCode.NotFound,
      message: expect.any(String) as string,
      requestId: response.headers['x-request-id'],
    });
    expect(response.headers['x-request-id']).toMatch(uuidPattern);
  });

  it('echoes a client X-Request-Id in the header and the body', async () => {
    const response = await request(testApp.http).get('/nowhere').set('X-Request-Id', 'client-id.42').expect(404);

    expect(response.headers['x-request-id']).toBe('client-id.42');
    expect(response.body).toMatchObject({ requestId: 'client-id.42' });
  });

  it('replaces a client request id that could smuggle text into logs', async () => {
    const response = await request(testApp.http).get('/nowhere').set('X-Request-Id', 'a b\tc"}').expect(404);

    expect(response.headers['x-request-id']).toMatch(uuidPattern);
  });

  it('puts X-Request-Id on successful responses too', async () => {
    const response = await request(testApp.http).get('/health/live').expect(200);

    expect(response.headers['x-request-id']).toMatch(uuidPattern);
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await request(testApp.http)
      .post('/health')
      .set('Content-Type', 'application/json')
      .send({ prompt: 'x'.repeat(4096) })
      .expect(413);

    expect(response.body).toEqual({
      statusCode: 413,
      code: ErrorCode.PayloadTooLarge,
      message: expect.any(String) as string,
      requestId: response.headers['x-request-id'],
    });
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    const response = await request(testApp.http)
      .post('/health')
      .set('Content-Type', 'application/json')
      .send('{"prompt": ')
      .expect(400);

    expect(response.body).toMatchObject({ statusCode: 400, code: ErrorCode.ValidationFailed });
  });

  it('logs the request without its Authorization header, cookies or body', async () => {
    const response = await request(testApp.http)
      .post('/nowhere')
      .set('Authorization', 'Bearer secret-token-xyz')
      .set('Cookie', 'session=secret-cookie-xyz')
      .send({ password: 'secret-body-xyz' })
      .expect(404);

    const requestId = String(response.headers['x-request-id']);
    const lines = testApp.logLines();
    expect(lines.some((line) => line.includes(requestId))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/secret-(token|cookie|body)-xyz/);
  });

  it('sends security headers (helmet) and no X-Powered-By', async () => {
    const response = await request(testApp.http).get('/health/live').expect(200);

    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses cross-origin browser calls when no origin is allowed', async () => {
    const response = await request(testApp.http).get('/health/live').set('Origin', 'https://evil.example').expect(200);

    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('HTTP error contract for unexpected errors', () => {
  @Public()
  @Controller('test-failures')
  class FailingController {
    @Get('crash')
    crash(): never {
      throw new Error('database password is hunter2');
    }
  }

  @Module({ controllers: [FailingController] })
  class FailingModule {}

  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ extraModules: [FailingModule] });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers 500 INTERNAL without internals, and logs the error once with the request id', async () => {
    const response = await request(testApp.http).get('/test-failures/crash').expect(500);

    expect(response.body).toEqual({
      statusCode: 500,
      code: ErrorCode.Internal,
      message: 'Something went wrong on our side.',
      requestId: response.headers['x-request-id'],
    });
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    const errorLines = testApp
      .logLines()
      .filter((line) => line.includes('Unhandled error') && line.includes(String(response.headers['x-request-id'])));
    expect(errorLines).toHaveLength(1);
  });
});
