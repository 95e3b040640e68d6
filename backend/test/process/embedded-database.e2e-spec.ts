import { mkdtemp, readFile, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { freePort, isProcessAlive, startBackend, waitForOk } from '#test/support/backend-process.js';

/**
 * `npm start` with no DATABASE_URL: the built backend starts its own PostgreSQL, keeps the data in
 * DATA_DIR across restarts, survives being killed, and stops the database on SIGTERM.
 */
describe('embedded database lifecycle (real process)', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'creditgate-embedded-'));
    await chmod(dataDir, 0o755);
    env = {
      NODE_ENV: 'development',
      PORT: String(await freePort()),
      EMBEDDED_DB_PORT: String(await freePort()),
      DATA_DIR: dataDir,
    };
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function ownerClient(): Promise<Client> {
    const credentials = JSON.parse(await readFile(join(dataDir, 'postgres-credentials.json'), 'utf8')) as {
      user: string;
      password: string;
    };
    const client = new Client({
      host: '127.0.0.1',
      port: Number(env['EMBEDDED_DB_PORT']),
      user: credentials.user,
      password: credentials.password,
      database: 'postgres',
    });
    await client.connect();
    return client;
  }

  async function postmasterPid(): Promise<number> {
    return Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  }

  it('keeps data across a kill -9 and a restart, then stops PostgreSQL on SIGTERM', async () => {
    const first = startBackend(env);
    await waitForOk(first, '/health/ready');
    const client = await ownerClient();
    await client.query(`INSERT INTO users (email, password_hash) VALUES ('survivor@example.test', 'x')`);
    await client.end();

    first.child.kill('SIGKILL');
    await first.exited;
    // The server the killed process started is still running, holding the data folder.
    const orphan = await postmasterPid();
    expect(isProcessAlive(orphan)).toBe(true);

    const second = startBackend(env);
    await waitForOk(second, '/health/ready');
    const again = await ownerClient();
    const { rows } = await again.query(
      `SELECT u.email, a.balance FROM users u JOIN credit_accounts a ON a.user_id = u.id WHERE email = 'survivor@example.test'`,
    );
    await again.end();
    expect(rows).toEqual([{ email: 'survivor@example.test', balance: '1000' }]);

    // No DEEPSEEK_API_KEY: chats are answered in demo mode, on this machine, and billed.
    const registered = await fetch(`${second.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'demo-user@example.test', password: 'correct horse battery' }),
    });
    const { accessToken } = (await registered.json()) as { accessToken: string };
    const chatted = await fetch(`${second.baseUrl}/api/ai/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ prompt: 'Hello, demo' }),
    });
    expect(chatted.status).toBe(200);
    expect((await chatted.json()) as object).toMatchObject({
      model: 'deepseek-flash',
      answer: expect.stringMatching(/demo/i) as string,
      creditsCharged: expect.any(Number) as number,
    });

    second.child.kill('SIGTERM');
    // Nest re-raises the signal once its shutdown hooks have run, so a clean stop ends "by SIGTERM".
    expect(await second.exited).toBe('SIGTERM');
    expect(second.output()).toContain('Embedded PostgreSQL stopped');
    const deadline = Date.now() + 10_000;
    while (isProcessAlive(orphan) && Date.now() < deadline) await sleep(100);
    expect(isProcessAlive(orphan)).toBe(false);

    // A clean third start brings its own server up again on the same data.
    const third = startBackend(env);
    await waitForOk(third, '/health/ready');
    expect(third.output()).not.toContain('Adopting');
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe('SIGTERM');
  });

  it('refuses to boot with a bad variable and names it', async () => {
    const backend = startBackend({ ...env, AI_TIMEOUT_MS: 'soon' });
    expect(await backend.exited).toBe(1);
    expect(backend.output()).toContain('AI_TIMEOUT_MS');
  });
});
