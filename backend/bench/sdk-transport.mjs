// `node bench/sdk-transport.mjs` (after `npm run build`): the client-side CPU of one `openai` SDK
// completion against an instant upstream on loopback, for the transports and deadline signals the
// gateway could use — the measurement behind src/ai/providers/undici-fetch.ts and
// src/ai/call-deadline.ts (docs/benchmarks.md). 32 calls in flight, 6 s per variant, after 2,000
// warm-up calls.
import { fork } from 'node:child_process';
import OpenAI from 'openai';
import { Agent } from 'undici';
import { CallDeadline } from '#src/ai/call-deadline.js';
import { requestFetch } from '#src/ai/providers/undici-fetch.js';
import { startInstantUpstream } from './instant-upstream.mjs';

const DURATION_MS = 6000;
const IN_FLIGHT = 32;
const AI_TIMEOUT_MS = 30_000;

if (process.argv[2] === 'upstream') {
  // The upstream runs in a child process, so that its CPU is not counted as the client's.
  const { server } = await startInstantUpstream(0);
  process.send(server.address().port);
} else {
  const upstream = fork(import.meta.filename, ['upstream']);
  const port = await new Promise((resolve) => upstream.once('message', resolve));
  await compare(`http://127.0.0.1:${port}`);
  upstream.kill();
}

async function compare(baseURL) {
  const connections = new Agent();
  const clients = {
    'global fetch': new OpenAI({ apiKey: 'sk-bench', baseURL, maxRetries: 0 }),
    'undici request': new OpenAI({ apiKey: 'sk-bench', baseURL, maxRetries: 0, fetch: requestFetch(connections) }),
  };
  const signals = {
    'no signal': () => ({ signal: undefined, end: () => undefined }),
    'AbortSignal.any + timeout': () => ({
      signal: AbortSignal.any([AbortSignal.timeout(AI_TIMEOUT_MS), new AbortController().signal]),
      end: () => undefined,
    }),
    CallDeadline: () => {
      const deadline = new CallDeadline(AI_TIMEOUT_MS, new AbortController().signal);
      return { signal: deadline.signal, end: () => deadline.end() };
    },
  };

  async function measure(client, makeSignal) {
    const once = async () => {
      const { signal, end } = makeSignal();
      try {
        await client.chat.completions.create(
          { model: 'deepseek-chat', messages: [{ role: 'user', content: 'Benchmark prompt' }], max_tokens: 16 },
          { signal },
        );
      } finally {
        end();
      }
    };
    for (let index = 0; index < 2000; index += 1) await once();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let calls = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (performance.now() - started < DURATION_MS) {
          await once();
          calls += 1;
        }
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    return { calls, cpuUsPerCall: (cpu.user + cpu.system) / calls };
  }

  process.stdout.write('| transport | deadline signal | calls/s | client CPU per call (µs) |\n|---|---|---|---|\n');
  for (const [transport, client] of Object.entries(clients)) {
    for (const [signalKind, makeSignal] of Object.entries(signals)) {
      if (transport === 'global fetch' && signalKind === 'CallDeadline') continue;
      const { calls, cpuUsPerCall } = await measure(client, makeSignal);
      process.stdout.write(
        `| ${transport} | ${signalKind} | ${Math.round(calls / (DURATION_MS / 1000))} | ${cpuUsPerCall.toFixed(0)} |\n`,
      );
    }
  }
  await connections.close();
}
