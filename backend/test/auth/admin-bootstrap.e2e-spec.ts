import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_FILE } from '#src/auth/admin-bootstrap.service.js';
import type { AuthResponse } from '#src/contract/index.js';
import { newUser } from '#test/support/factories.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const adminEnv = { ADMIN_EMAIL: 'Ops@Example.test', ADMIN_PASSWORD: 'admin password 1' };

const login = (testApp: TestApp, email: string, password: string) =>
  request(testApp.http).post('/api/auth/login').send({ email, password });

async function adminCount(database: TestDatabase): Promise<number> {
  const { rows } = await database
    .pool()
    .query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
  return rows[0]?.n ?? -1;
}

describe('admin bootstrap', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  it('creates the ADMIN_EMAIL admin, who signs in with ADMIN_PASSWORD; a restart creates no second one', async () => {
    const first = await createTestApp({ database, env: adminEnv });
    const response = await login(first, 'ops@example.test', adminEnv.ADMIN_PASSWORD).expect(200);
    expect((response.body as AuthResponse).user).toMatchObject({
      email: 'ops@example.test',
      role: 'admin',
      credits: 1000,
    });
    await first.close();

    const restarted = await createTestApp({ database, env: adminEnv });
    await login(restarted, 'ops@example.test', adminEnv.ADMIN_PASSWORD).expect(200);
    await restarted.close();
    expect(await adminCount(database)).toBe(1);
  });

  it('promotes, re-enables and re-passwords an existing account with that e-mail', async () => {
    const existing = await newUser(database.pool(), { email: 'ops@example.test' });
    await database.pool().query('UPDATE users SET disabled = true WHERE id = $1::uuid', [existing.id]);

    const testApp = await createTestApp({ database, env: adminEnv });
    const response = await login(testApp, 'ops@example.test', adminEnv.ADMIN_PASSWORD).expect(200);
    await testApp.close();

    expect((response.body as AuthResponse).user).toMatchObject({ id: existing.id, role: 'admin' });
  });

  it('refuses to boot in production with no admin and no ADMIN_EMAIL, naming the variables', async () => {
    await expect(createTestApp({ database, env: { NODE_ENV: 'production' } })).rejects.toThrow(
      /ADMIN_EMAIL \/ ADMIN_PASSWORD are not set/,
    );
  });

  it('boots in production without ADMIN_EMAIL when an enabled admin already exists', async () => {
    await newUser(database.pool(), { role: 'admin' });

    const testApp = await createTestApp({ database, env: { NODE_ENV: 'production' } });
    await request(testApp.http).get('/health/ready').expect(200);
    await testApp.close();
  });

  describe('in development without ADMIN_EMAIL', () => {
    let dataDir: string;

    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'creditgate-demo-admin-'));
    });

    afterEach(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('creates a demo admin, keeps its credentials privately in DATA_DIR, and reuses them after a restart', async () => {
      const env = { NODE_ENV: 'development', DATA_DIR: dataDir };
      const first = await createTestApp({ database, env });
      const file = join(dataDir, DEMO_ADMIN_FILE);
      const demo = JSON.parse(await readFile(file, 'utf8')) as { email: string; password: string };
      expect(demo.email).toBe(DEMO_ADMIN_EMAIL);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const response = await login(first, demo.email, demo.password).expect(200);
      expect((response.body as AuthResponse).user.role).toBe('admin');
      // The password is printed for the developer, never put in the JSON log.
      expect(first.logLines().join('\n')).not.toContain(demo.password);
      await first.close();

      const restarted = await createTestApp({ database, env });
      await login(restarted, demo.email, demo.password).expect(200);
      await restarted.close();
      expect(await adminCount(database)).toBe(1);
    });
  });
});
