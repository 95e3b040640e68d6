// The peer: Portkey's open-source AI gateway (`@portkey-ai/gateway`, a devDependency pinned to one
// version), a Node gateway with no database, no billing and no accounts, started headless the way
// its package's bin starts it. `npm run bench` drives it with the same loads as CreditGate, against
// the same instant upstream, so each run shows CreditGate's added latency next to a gateway that adds
// only routing (docs/benchmarks.md).
//
// Its version of `@hono/node-server` is pinned by an override in the root package.json: from 1.14.2
// on, that server keeps a fetch response's immutable headers, and the gateway's streaming path, which
// adds its own headers to the upstream response, answers every stream with a 500 ("TypeError:
// immutable"; Portkey-AI/gateway issue 1389). 1.14.1 is the last release that copies them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const packageJson = createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json');
const { bin, version } = JSON.parse(readFileSync(packageJson, 'utf8'));

export const PEER_NAME = `Portkey gateway ${version}`;

/**
 * Starts the peer on 127.0.0.1:`port`; answers the child process once it answers HTTP. `nodeFlags`
 * go before the script (a CPU profile, as for the backend).
 */
export async function startPeerGateway({ port, nodeFlags = [] }) {
  // It has no SIGTERM handler, and a process killed by a signal writes no CPU profile: this one exits.
  const exitOnTerm = ['--import', "data:text/javascript,process.once('SIGTERM',()=>process.exit(0))"];
  const script = join(dirname(packageJson), bin);
  const child = spawn(process.execPath, [...nodeFlags, ...exitOnTerm, script, `--port=${port}`, '--headless'], {
    // production: no console UI, no log stream; nothing but the gateway.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the peer gateway exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  child.kill();
  throw new Error('the peer gateway did not start');
}

/** Its headers for one upstream call: OpenAI's wire format at `upstreamUrl` (the fake DeepSeek). */
export function peerHeaders(upstreamUrl) {
  return {
    'Content-Type': 'application/json',
    Authorization: 'Bearer sk-bench',
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': upstreamUrl,
  };
}
