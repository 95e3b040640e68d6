import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const backendRoot = join(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

export interface BackendProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/** Backends started by this test file and not yet exited. */
const running = new Set<ChildProcess>();

/**
 * Kills whatever backend a test file left running — one whose test failed before it could stop it —
 * so that its open pipes cannot keep jest from exiting (test/support/stop-backends.ts runs it after
 * every file).
 */
export async function stopBackends(): Promise<void> {
  const left = [...running];
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => {
            resolve();
          });
          child.kill('SIGKILL');
        }),
    ),
  );
}

/**
 * The built backend (`dist/main.js`, as `npm start` runs it) in a child process: the real boot path,
 * embedded database included. Build first (`nx run backend:build`; the test target depends on it).
 */
export function startBackend(env: Record<string, string>): BackendProcess {
  let output = '';
  const child = spawn(process.execPath, [join(backendRoot, 'dist', 'main.js')], {
    cwd: backendRoot,
    // On loopback only, as every server of the tests.
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/root',
      LOG_LEVEL: 'info',
      LISTEN_ADDRESS: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal);
    }),
  );
  return { child, baseUrl: `http://127.0.0.1:${env['PORT']}`, output: () => output, exited };
}

/** Polls until the URL answers 200, or fails with the process output after the deadline. */
export async function waitForOk(backend: BackendProcess, path: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (backend.child.exitCode !== null) throw new Error(`backend exited early:\n${backend.output()}`);
    try {
      const response = await fetch(`${backend.baseUrl}${path}`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`${path} did not answer 200 within ${timeoutMs} ms:\n${backend.output()}`);
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The built backend on a test database, as the process tests run it: test mode, a fixed JWT secret,
 * a free port; `env` adds what the test exercises (a fake upstream, REDIS_URL, …).
 */
export async function startTestBackend(databaseUrl: string, env: Record<string, string> = {}): Promise<BackendProcess> {
  return startBackend({
    NODE_ENV: 'test',
    PORT: String(await freePort()),
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    SECRETS_KEY: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    ...env,
  });
}
