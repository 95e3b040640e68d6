// `node bench/gc-summary.mjs <backend-N.gc.log> [...]`: the garbage collections of a backend process run
// under `--trace-gc` (BENCH_PROFILE_DIR and BENCH_TRACE_GC=1 of bench/run.mjs), by kind — how many,
// their pauses (mean, p99, longest, total) — what docs/benchmarks.md's GC figures are made of. A pause
// stops every request in flight, so the longest ones are what a p99 latency is made of.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node bench/gc-summary.mjs <backend-N.gc.log> [...]\n');
  process.exit(2);
}

// V8's lines: `[pid:0x…]  12345 ms: Scavenge 40.1 (52.2) -> 30.2 (52.2) MB, 5.81 / 0.00 ms  (…) …`;
// the figure before the slash is the pause on the main thread.
const line = /\d+ ms: (Scavenge|Mark-Compact|Mark-Compact \(reduce\)|Minor Mark-Compact)\b.*?MB, ([\d.]+) \/ [\d.]+ ms/;

for (const file of files) {
  const pauses = new Map();
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    const match = line.exec(text);
    if (match === null) continue;
    const kind = match[1];
    if (!pauses.has(kind)) pauses.set(kind, []);
    pauses.get(kind).push(Number(match[2]));
  }
  process.stdout.write(`${file}\n`);
  for (const [kind, values] of pauses) {
    values.sort((a, b) => a - b);
    const total = values.reduce((sum, value) => sum + value, 0);
    const p99 = values[Math.min(values.length - 1, Math.floor(values.length * 0.99))];
    process.stdout.write(
      `  ${kind}: ${values.length}, mean ${(total / values.length).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ` +
        `longest ${values.at(-1).toFixed(1)} ms, total ${(total / 1000).toFixed(2)} s\n`,
    );
  }
}
