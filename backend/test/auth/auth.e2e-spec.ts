import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { type AuthResponse, ErrorCode } from '#src/contract/index.js';
import { DatabaseRole } from '#src/database/database-roles.js';
import { ProbeModule } from '#test/support/probe.module.js';
import { registeredRoutes } from '#test/support/routes.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

const password = 'correct horse battery';

describe('auth: register, login, tokens, /api/me', () => {
  let testApp: TestApp;
  let emailCounter = 0;
  const nextEmail = (): string => `person${++emailCounter}@example.test`;

  beforeAll(async () => {
    testApp = await createTestApp({ extraModules: [ProbeModule] });
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function register(email = nextEmail()): Promise<AuthResponse> {
    const response = await request(testApp.http).post('/api/auth/register').send({ email, password }).expect(201);
    return response.body as AuthResponse;
  }

  /** POST /api/auth/refresh; chain `.expect(status)`. */
  const refresh = (refreshToken: string) => request(testApp.http).post('/api/auth/refresh').send({ refreshToken });

  describe('register', () => {
    it('answers 201 with the user, 1000 credits and a token pair', async () => {
      const email = nextEmail();
      const body = await register(email);

      expect(body.user).toEqual({
        id: expect.any(String) as string,
        email,
        role: 'user',
        credits: 1000,
        createdAt: expect.any(String) as string,
      });
      expect(body.accessToken.split('.')).toHaveLength(3);
      expect(body.refreshToken).toMatch(/^cgr_/);
      const { rows } = await testApp.database
        .pool()
        .query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1::uuid', [body.user.id]);
      expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('normalises the e-mail and refuses the same address in another case with 409 EMAIL_TAKEN', async () => {
      const body = await register('  Mixed.Case@Example.TEST ');
      expect(body.user.email).toBe('mixed.case@example.test');

      const response = await request(testApp.http)
        .post('/api/auth/register')
        .send({ email: 'MIXED.case@example.test', password })
        .expect(409);
      expect(response.body).toMatchObject({ code: ErrorCode.EmailTaken });
    });

    it.each([
      ['a bad e-mail', { email: 'not-an-email', password }],
      ['a 7-character password', { email: 'short@example.test', password: '1234567' }],
      ['a 129-character password', { email: 'long@example.test', password: 'x'.repeat(129) }],
      ['an unknown field', { email: 'role@example.test', password, role: 'admin' }],
      ['a missing password', { email: 'missing@example.test' }],
      ['a non-string password', { email: 'number@example.test', password: 12345678 }],
    ])('refuses %s with 400 VALIDATION_FAILED and creates nobody', async (_what, body) => {
      const response = await request(testApp.http).post('/api/auth/register').send(body).expect(400);

      expect(response.body).toMatchObject({
        code: ErrorCode.ValidationFailed,
        details: expect.any(Array) as unknown[],
      });
      const { rows } = await testApp.database.pool().query('SELECT 1 FROM users WHERE email = $1::text', [body.email]);
      expect(rows).toHaveLength(0);
    });

    it('accepts a 128-character password', async () => {
      await request(testApp.http)
        .post('/api/auth/register')
        .send({ email: nextEmail(), password: 'p'.repeat(128) })
        .expect(201);
    });
  });

  describe('login', () => {
    it('answers 200 with a fresh token pair for the right password', async () => {
      const registered = await register();

      const response = await request(testApp.http)
        .post('/api/auth/login')
        .send({ email: registered.user.email.toUpperCase(), password })
        .expect(200);

      expect((response.body as AuthResponse).user.id).toBe(registered.user.id);
      expect((response.body as AuthResponse).refreshToken).not.toBe(registered.refreshToken);
    });

    it('gives a wrong password and an unknown e-mail the same 401', async () => {
      const registered = await register();

      const wrong = await request(testApp.http)
        .post('/api/auth/login')
        .send({ email: registered.user.email, password: 'wrong password' })
        .expect(401);
      const unknown = await request(testApp.http)
        .post('/api/auth/login')
        .send({ email: 'nobody@example.test', password: 'wrong password' })
        .expect(401);

      const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
      expect(strip(wrong.body as Record<string, unknown>)).toEqual(strip(unknown.body as Record<string, unknown>));
      expect(wrong.body).toMatchObject({ code: ErrorCode.Unauthenticated });
    });
  });

  describe('access tokens', () => {
    it('GET /api/me answers the user with available credits', async () => {
      const registered = await register();

      const response = await request(testApp.http)
        .get('/api/me')
        .set('Authorization', `Bearer ${registered.accessToken}`)
        .expect(200);

      expect(response.body).toEqual(registered.user);
    });

    it.each([
      ['no token', undefined],
      ['garbage', 'Bearer not.a.jwt'],
      ['a non-bearer scheme', 'Basic dXNlcjpwYXNz'],
    ])('refuses %s with 401 UNAUTHENTICATED', async (_what, header) => {
      const call = request(testApp.http).get('/api/me');
      const response = await (header === undefined ? call : call.set('Authorization', header)).expect(401);

      expect(response.body).toMatchObject({ code: ErrorCode.Unauthenticated });
    });

    it('refuses an expired, a tampered and a foreign-signed token with 401', async () => {
      const registered = await register();
      const jwt = testApp.app.get(JwtService);
      const claims = { sub: registered.user.id, role: 'admin' };
      const expired = await jwt.signAsync(claims, { expiresIn: -10 });
      const [header, , signature] = registered.accessToken.split('.');
      const tamperedPayload = Buffer.from(
        JSON.stringify({ sub: registered.user.id, role: 'admin', iss: 'creditgate', aud: 'creditgate-api' }),
      ).toString('base64url');
      const tampered = `${header ?? ''}.${tamperedPayload}.${signature ?? ''}`;
      const foreign = await jwt.signAsync(claims, { secret: 'another-secret-that-is-long-enough-000000' });

      for (const token of [expired, tampered, foreign]) {
        const response = await request(testApp.http).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
        expect(response.body).toMatchObject({ code: ErrorCode.Unauthenticated });
      }
    });
  });

  describe('refresh tokens', () => {
    it('rotate: a refresh answers a new pair, and the old refresh token stops working', async () => {
      const registered = await register();

      const first = await refresh(registered.refreshToken).expect(200);
      const rotated = first.body as AuthResponse;
      expect(rotated.refreshToken).not.toBe(registered.refreshToken);
      await request(testApp.http).get('/api/me').set('Authorization', `Bearer ${rotated.accessToken}`).expect(200);

      await refresh(rotated.refreshToken).expect(200);
    });

    it('reuse of a rotated token revokes the whole family', async () => {
      const registered = await register();
      const rotated = (await refresh(registered.refreshToken).expect(200)).body as AuthResponse;

      // The original token is replayed (stolen?): refused, and the newest token of its family dies too.
      const replay = await refresh(registered.refreshToken).expect(401);
      expect(replay.body).toMatchObject({ code: ErrorCode.Unauthenticated });
      await refresh(rotated.refreshToken).expect(401);
    });

    it('reuse revokes only that family: another login of the same user keeps working', async () => {
      const registered = await register();
      const otherLogin = (
        await request(testApp.http).post('/api/auth/login').send({ email: registered.user.email, password }).expect(200)
      ).body as AuthResponse;
      await refresh(registered.refreshToken).expect(200);
      await refresh(registered.refreshToken).expect(401);

      await refresh(otherLogin.refreshToken).expect(200);
    });

    it('lets only one of several concurrent refreshes with the same token succeed', async () => {
      const registered = await register();

      const statuses = await Promise.all(
        Array.from({ length: 5 }, () => refresh(registered.refreshToken).then((response) => response.status)),
      );

      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    });

    it('logout revokes the session: its refresh token fails afterwards', async () => {
      const registered = await register();

      await request(testApp.http).post('/api/auth/logout').send({ refreshToken: registered.refreshToken }).expect(204);

      await refresh(registered.refreshToken).expect(401);
    });

    it('refuses an unknown refresh token with 401', async () => {
      await refresh('cgr_this-token-was-never-issued').expect(401);
    });
  });

  describe('roles and disabled accounts', () => {
    it('a normal user gets 403 FORBIDDEN on an admin route; an admin gets through', async () => {
      const user = await register();
      const forbidden = await request(testApp.http)
        .get('/api/admin/probe')
        .set('Authorization', `Bearer ${user.accessToken}`)
        .expect(403);
      expect(forbidden.body).toMatchObject({ code: ErrorCode.Forbidden });

      const admin = await register();
      await testApp.database.pool().query(`UPDATE users SET role = 'admin' WHERE id = $1::uuid`, [admin.user.id]);
      // The role is read on every request, so the existing token now carries admin rights.
      await request(testApp.http)
        .get('/api/admin/probe')
        .set('Authorization', `Bearer ${admin.accessToken}`)
        .expect(200);
    });

    it('a normal user gets 403 FORBIDDEN on every /api/admin/* route the app serves', async () => {
      const user = await register();
      const adminRoutes = registeredRoutes(testApp.app).filter((route) => route.path.startsWith('/api/admin'));
      expect(adminRoutes.length).toBeGreaterThan(0);

      for (const route of adminRoutes) {
        const path = route.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
        const response = await request(testApp.http)
          [route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path)
          .set('Authorization', `Bearer ${user.accessToken}`)
          .send({});
        expect({ route, status: response.status, code: (response.body as { code?: string }).code }).toEqual({
          route,
          status: 403,
          code: ErrorCode.Forbidden,
        });
      }
    });

    it('a disabled user is refused with 403 ACCOUNT_DISABLED on the next request, at login and at refresh', async () => {
      const registered = await register();
      await testApp.database.pool().query('UPDATE users SET disabled = true WHERE id = $1::uuid', [registered.user.id]);

      const next = await request(testApp.http)
        .get('/api/me')
        .set('Authorization', `Bearer ${registered.accessToken}`)
        .expect(403);
      expect(next.body).toMatchObject({ code: ErrorCode.AccountDisabled });
      const login = await request(testApp.http)
        .post('/api/auth/login')
        .send({ email: registered.user.email, password })
        .expect(403);
      expect(login.body).toMatchObject({ code: ErrorCode.AccountDisabled });
      await refresh(registered.refreshToken).expect(403);
    });
  });

  it('answers every auth route with Cache-Control: no-store, errors included', async () => {
    const email = nextEmail();
    const registered = await request(testApp.http).post('/api/auth/register').send({ email, password });
    const loggedIn = await request(testApp.http).post('/api/auth/login').send({ email, password });
    const refreshed = await refresh((loggedIn.body as AuthResponse).refreshToken);
    const me = await request(testApp.http)
      .get('/api/me')
      .set('Authorization', `Bearer ${(refreshed.body as AuthResponse).accessToken}`);
    const loggedOut = await request(testApp.http)
      .post('/api/auth/logout')
      .send({ refreshToken: (refreshed.body as AuthResponse).refreshToken });
    const refused = await request(testApp.http).post('/api/auth/login').send({ email, password: 'wrong password' });

    expect([registered, loggedIn, refreshed, me, loggedOut, refused].map((response) => response.status)).toEqual([
      201, 200, 200, 200, 204, 401,
    ]);
    for (const response of [registered, loggedIn, refreshed, me, loggedOut, refused]) {
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('never writes a password or token into the logs', async () => {
    const registered = await register();
    await request(testApp.http).post('/api/auth/login').send({ email: registered.user.email, password }).expect(200);
    await request(testApp.http).get('/api/me').set('Authorization', `Bearer ${registered.accessToken}`).expect(200);

    const logs = testApp.logLines().join('\n');
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(registered.accessToken);
    expect(logs).not.toContain(registered.refreshToken);
  });

  it('stores refresh tokens only as hashes', async () => {
    const registered = await register();
    const runtime = testApp.database.pool({ role: DatabaseRole.Runtime });
    const { rows } = await runtime.query<{ token_hash: Buffer }>(
      'SELECT token_hash FROM refresh_tokens WHERE user_id = $1::uuid',
      [registered.user.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash.toString('utf8')).not.toContain(registered.refreshToken);
  });
});
