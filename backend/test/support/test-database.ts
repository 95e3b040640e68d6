import { randomBytes } from 'node:crypto';
import { Client, Pool, type PoolConfig } from 'pg';
import { Migrator } from '#src/database/migrator.js';
import { DatabaseRole } from '#src/database/database-roles.js';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';

export const migrationsDir = `${findWorkspaceRoot()}/db/migrations`;

function serverUrl(): string {
  const url = process.env['TEST_SERVER_URL'];
  if (url === undefined) throw new Error('TEST_SERVER_URL is not set: run the tests through jest (global setup)');
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface TestDatabase {
  /** Owner URL of the new database. */
  url: string;
  name: string;
  /** One pool per role and size, opened on first use; `drop()` closes them. */
  pool(options?: { role?: (typeof DatabaseRole)[keyof typeof DatabaseRole]; max?: number }): Pool;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server; migrated unless `migrate: false`. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `cg_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl(), name);
  if (options.migrate !== false) await new Migrator(url, migrationsDir).migrate();

  const pools = new Map<string, Pool>();
  return {
    url,
    name,
    pool: ({ role, max = 10 } = {}) => {
      const key = `${role ?? 'owner'}/${max}`;
      const existing = pools.get(key);
      if (existing) return existing;
      const config: PoolConfig = { connectionString: url, max };
      // The same way the backend's pool assumes its role (runtime-data-source.ts).
      if (role !== undefined) config.options = `-c role=${role}`;
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
      const client = new Client({ connectionString: serverUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
