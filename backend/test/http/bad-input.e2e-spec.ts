import { Controller, Get, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { JWT_AUDIENCE, JWT_ISSUER } from '#src/auth/jwt-options.js';
import { Public } from '#src/common/auth.decorators.js';
import { type AuthResponse, ErrorCode } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { registerAdmin, registerUser, TEST_PASSWORD } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

const JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';
const cursorOf = (key: object): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Text the database's `text` type cannot hold reaches it anyway, as a route of a later issue might let it. */
@Public()
@Controller('test-text')
class UnstorableTextController {
  constructor(private readonly db: Database) {}

  @Get('nul')
  async nul(): Promise<unknown> {
    return this.db.rows('SELECT $1::text AS text', ['a\u0000b']);
  }
}

@Module({ controllers: [UnstorableTextController] })
class UnstorableTextModule {}

/**
 * Input that used to reach a 500 (issue #13): each is answered with the contract's 4xx, or stored
 * the way the docs say, and nothing of it changes a balance.
 */
describe('bad input is a 4xx, never a 500', () => {
  let testApp: TestApp;
  let admin: AuthResponse;
  let user: AuthResponse;

  beforeAll(async () => {
    testApp = await createTestApp({ extraModules: [UnstorableTextModule] });
    admin = await registerAdmin(testApp.http, testApp.database.pool());
    user = await registerUser(testApp.http);
  });

  afterAll(async () => {
    await expectCreditInvariants(testApp.database.pool());
    await testApp.close();
  });

  const as = (session: AuthResponse) => ({
    get: (path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${session.accessToken}`),
    post: (path: string) => request(testApp.http).post(path).set('Authorization', `Bearer ${session.accessToken}`),
    put: (path: string) => request(testApp.http).put(path).set('Authorization', `Bearer ${session.accessToken}`),
    patch: (path: string) => request(testApp.http).patch(path).set('Authorization', `Bearer ${session.accessToken}`),
  });

  /** A body sent as written: supertest would re-serialise an object, and JSON.stringify cannot write every case. */
  const raw = (test: request.Test, body: string) => test.set('Content-Type', 'application/json').send(body);

  function expectError(response: request.Response, status: number, code: ErrorCode): void {
    expect(response.status).toBe(status);
    expect(response.body).toEqual({
      statusCode: status,
      code,
      message: expect.any(String) as string,
      requestId: response.headers['x-request-id'],
      ...(response.body !== null && typeof response.body === 'object' && 'details' in response.body
        ? { details: expect.anything() as unknown }
        : {}),
    });
  }

  describe('labels keep any text; what PostgreSQL text cannot hold is stored as U+FFFD', () => {
    it('an API key named with U+0000 and an unpaired surrogate', async () => {
      const response = await raw(as(user).post('/api/keys'), '{"name":"ci\\u0000key\\ud800"}').expect(201);

      expect((response.body as { name: string }).name).toBe('ci\uFFFDkey\uFFFD');
      const listed = await as(user).get('/api/keys').expect(200);
      expect((listed.body as { items: { name: string }[] }).items.map((key) => key.name)).toContain(
        'ci\uFFFDkey\uFFFD',
      );
    });

    it('a recharge reason with U+0000', async () => {
      const before = await as(user).get('/api/credits').expect(200);
      await as(admin)
        .post('/api/admin/recharge')
        .send({ userId: user.user.id, amount: 5, reason: 'refund\u0000ticket 7' })
        .expect(201);

      const ledger = await as(user).get('/api/credits/ledger').expect(200);
      expect((ledger.body as { items: { reason: string }[] }).items[0]?.reason).toBe('refund\uFFFDticket 7');
      const after = await as(user).get('/api/credits').expect(200);
      expect((after.body as { balance: number }).balance).toBe((before.body as { balance: number }).balance + 5);
    });

    it('an access change reason with U+0000, kept in the audit trail', async () => {
      await as(admin)
        .patch(`/api/admin/users/${user.user.id}`)
        .send({ disabled: true, reason: 'why\u0000not' })
        .expect(200);
      await as(admin).patch(`/api/admin/users/${user.user.id}`).send({ disabled: false }).expect(200);

      const audit = await as(admin).get(`/api/admin/audit?targetId=${user.user.id}`).expect(200);
      expect(JSON.stringify(audit.body)).toContain('why\uFFFDnot');
    });

    it('a price change reason with U+0000', async () => {
      await as(admin)
        .put('/api/admin/models/deepseek-chat')
        .send({
          enabled: true,
          requestCredits: 1,
          inputCreditsPer1k: 1,
          outputCreditsPer1k: 2,
          reason: 'new\u0000price',
        })
        .expect(200);
    });
  });

  describe('identifiers and searches that no stored value could match are refused', () => {
    it.each([
      ['U+0000 in the user search', '/api/admin/users?search=a%00b', 'search'],
      ['U+0000 in the audit targetId', '/api/admin/audit?targetId=a%00b', 'targetId'],
    ])('%s: 400 naming the field', async (_what, path, field) => {
      const response = await as(admin).get(path);

      expectError(response, 400, ErrorCode.ValidationFailed);
      expect(response.body).toMatchObject({ details: [{ field }] });
    });

    it.each([
      ['register', '/api/auth/register'],
      ['login', '/api/auth/login'],
    ])('an e-mail with an unpaired surrogate at %s: 400 on email', async (_what, path) => {
      const response = await raw(
        request(testApp.http).post(path),
        `{"email":"a\\ud800b@example.test","password":"${TEST_PASSWORD}"}`,
      );

      expectError(response, 400, ErrorCode.ValidationFailed);
      expect(response.body).toMatchObject({ details: [{ field: 'email' }] });
    });
  });

  describe('tampered cursors: 400', () => {
    it.each([
      ['a ledger id past bigint', '/api/credits/ledger', { id: '9999999999999999999' }],
      ['an audit id past bigint', '/api/admin/audit', { id: '9223372036854775808' }],
      ['a ledger id that is no number', '/api/credits/ledger', { id: '1; DROP' }],
      ['a usage id that is no UUID', '/api/usage', { createdAt: '2026-01-01T00:00:00.000000Z', id: 'not-a-uuid' }],
      [
        'a usage timestamp that is garbage',
        '/api/usage',
        { createdAt: 'yesterday', id: '00000000-0000-4000-8000-000000000000' },
      ],
      [
        'a user list timestamp that does not exist (30 February)',
        '/api/admin/users',
        { createdAt: '2026-02-30T00:00:00.000000Z', id: '00000000-0000-4000-8000-000000000000' },
      ],
      [
        'an admin usage cursor with a year PostgreSQL refuses',
        '/api/admin/usage',
        { createdAt: '0000-01-01T00:00:00.000000Z', id: '00000000-0000-4000-8000-000000000000' },
      ],
      ['a cursor that is not an object', '/api/usage', ['2026-01-01T00:00:00Z']],
    ])('%s', async (_what, path, key) => {
      const response = await as(admin).get(`${path}?cursor=${cursorOf(key)}`);

      expectError(response, 400, ErrorCode.ValidationFailed);
      expect(response.body).toMatchObject({ details: [{ field: 'cursor' }] });
    });

    it('still accepts the cursors the lists hand out', async () => {
      await as(admin)
        .post('/api/admin/recharge')
        .send({ userId: admin.user.id, amount: 1, reason: 'paging' })
        .expect(201);
      const first = await as(admin).get('/api/credits/ledger?limit=1').expect(200);
      const next = (first.body as { nextCursor: string | null }).nextCursor;
      expect(next).not.toBeNull();
      await as(admin).get(`/api/credits/ledger?limit=1&cursor=${next}`).expect(200);
      const users = await as(admin).get('/api/admin/users?limit=1').expect(200);
      await as(admin)
        .get(`/api/admin/users?limit=1&cursor=${(users.body as { nextCursor: string }).nextCursor}`)
        .expect(200);
    });
  });

  describe('numbers', () => {
    it('maxTokens: null on /api/ai/chat is 400 (give a number or leave it out)', async () => {
      const response = await as(user).post('/api/ai/chat').send({ prompt: 'hello', maxTokens: null });

      expectError(response, 400, ErrorCode.ValidationFailed);
      expect(response.body).toMatchObject({ details: [{ field: 'maxTokens' }] });
    });

    it('max_tokens: null on /v1 means not given, as OpenAI declares it', async () => {
      const key = (await as(user).post('/api/keys').send({ name: 'nullable' }).expect(201)).body as { key: string };
      const response = await request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key.key}`)
        .send({
          model: 'deepseek-chat',
          messages: [{ role: 'user', content: 'hi' }],
          max_tokens: null,
          max_completion_tokens: null,
        })
        .expect(200);

      expect(response.body).toMatchObject({ object: 'chat.completion' });
    });

    it.each([
      ['1e-7 (more decimals than the price table keeps)', '1e-7'],
      ['0.00001', '0.00001'],
      ['1e21', '1e21'],
      ['1e400 (Infinity once parsed)', '1e400'],
    ])('a price of %s: 400 on inputCreditsPer1k', async (_what, rate) => {
      const response = await raw(
        as(admin).put('/api/admin/models/deepseek-chat'),
        `{"enabled":true,"requestCredits":1,"inputCreditsPer1k":${rate},"outputCreditsPer1k":1}`,
      );

      expectError(response, 400, ErrorCode.ValidationFailed);
      expect(response.body).toMatchObject({ details: [{ field: 'inputCreditsPer1k' }] });
    });

    it('still takes a rate with four decimals', async () => {
      const response = await as(admin)
        .put('/api/admin/models/deepseek-chat')
        .send({ enabled: true, requestCredits: 1, inputCreditsPer1k: 0.0001, outputCreditsPer1k: 1.2345 })
        .expect(200);
      expect(response.body).toMatchObject({ inputCreditsPer1k: 0.0001, outputCreditsPer1k: 1.2345 });
    });
  });

  describe('bodies that are not UTF-8 JSON: 415 UNSUPPORTED_MEDIA_TYPE', () => {
    const login = JSON.stringify({ email: 'nobody@example.test', password: TEST_PASSWORD });

    it.each([
      ['charset=latin1', { 'Content-Type': 'application/json; charset=latin1' }],
      ['charset=utf-16', { 'Content-Type': 'application/json; charset=utf-16' }],
      ['a bogus type', { 'Content-Type': 'bogus' }],
      ['text/plain', { 'Content-Type': 'text/plain' }],
      ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['Content-Encoding: bogus', { 'Content-Type': 'application/json', 'Content-Encoding': 'bogus' }],
    ])('%s', async (_what, headers) => {
      const response = await request(testApp.http).post('/api/auth/login').set(headers).send(login);

      expectError(response, 415, ErrorCode.UnsupportedMediaType);
    });

    it('takes application/json with charset=utf-8, and a body-less POST without a type', async () => {
      await request(testApp.http)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json; charset=UTF-8')
        .send(login)
        .expect(401);
      const empty = await request(testApp.http).post('/api/auth/logout');
      expectError(empty, 400, ErrorCode.ValidationFailed);
    });
  });

  describe('bodies whose shape would cost more than it is worth', () => {
    it('JSON nested 5,000 deep: 400 before any validation runs', async () => {
      const deep = `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const response = await raw(as(user).post('/api/keys'), deep);

      expectError(response, 400, ErrorCode.ValidationFailed);
      expect((response.body as { message: string }).message).toContain('deeper than 32');
    });

    it('an auth body over 8 KB: 413, though the general limit is larger', async () => {
      const response = await request(testApp.http)
        .post('/api/auth/logout')
        .send({ refreshToken: 'x'.repeat(9000) });

      expectError(response, 413, ErrorCode.PayloadTooLarge);
    });

    it('an auth body over 8 KB sent without a length (chunked): 413 once read', async () => {
      const url = await testApp.listen();
      const body = JSON.stringify({ refreshToken: 'x'.repeat(9000) });
      const response = await fetch(`${url}/api/auth/logout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(body));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);

      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: ErrorCode.PayloadTooLarge });
    });

    it('an admin body with 5,000 unknown keys: 413 on the count, before class-transformer', async () => {
      const body = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`k${index}`, 1]));
      const response = await as(admin).post('/api/admin/recharge').send(body);

      expectError(response, 413, ErrorCode.PayloadTooLarge);
      expect((response.body as { message: string }).message).toContain('keys and items');
    });

    it('a chat of 256 messages with content parts still fits', async () => {
      const key = (await as(user).post('/api/keys').send({ name: 'long chat' }).expect(201)).body as { key: string };
      const messages = Array.from({ length: 256 }, (_, index) => ({
        role: index % 2 === 0 ? 'user' : 'assistant',
        content: [{ type: 'text', text: `turn ${index}` }],
      }));
      await request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key.key}`)
        .send({ model: 'deepseek-chat', messages, max_tokens: 16 })
        .expect(200);
    });
  });

  it('a JWT whose sub is not a UUID: 401, not a failed cast', async () => {
    const jwt = new JwtService({ secret: JWT_SECRET });
    const token = await jwt.signAsync(
      { sub: 'not-a-uuid', role: 'admin' },
      { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: 60, algorithm: 'HS256' },
    );

    expectError(
      await request(testApp.http).get('/api/me').set('Authorization', `Bearer ${token}`),
      401,
      ErrorCode.Unauthenticated,
    );
  });

  it('maps U+0000 that still reaches a text column (SQLSTATE 22021) to 400, not 500', async () => {
    expectError(await request(testApp.http).get('/test-text/nul'), 400, ErrorCode.ValidationFailed);
  });
});
