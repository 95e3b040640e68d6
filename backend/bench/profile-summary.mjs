// `node bench/profile-summary.mjs <file.cpuprofile> [--from=S] [--to=S] [--per-request-us=N]`: a V8 CPU
// profile (BENCH_PROFILE_DIR of bench/run.mjs) read by package — what docs/benchmarks.md's profile
// verdicts are made of. For each package, or folder of the backend's own code (src/…), or V8's own
// entries (garbage collector, program): its share of the busy samples "inclusive" (any frame of the
// sample's stack is in it: what removing it would save at most) and "self" (the sample's innermost
// frame is in it). --from/--to keep the samples between those seconds of the profile (e.g. the loads,
// not the start-up); --per-request-us turns shares into µs per request, given the CPU per request the
// same run measured.
import { readFileSync } from 'node:fs';

const [file, ...flags] = process.argv.slice(2);
if (!file) {
  process.stderr.write(
    'usage: node bench/profile-summary.mjs <file.cpuprofile> [--from=S] [--to=S] [--per-request-us=N]\n',
  );
  process.exit(2);
}
const flag = (name) => {
  const given = flags.find((value) => value.startsWith(`--${name}=`));
  return given === undefined ? undefined : Number(given.split('=')[1]);
};
const from = flag('from') ?? 0;
const to = flag('to') ?? Infinity;
const perRequestUs = flag('per-request-us');

const profile = JSON.parse(readFileSync(file, 'utf8'));

/** The package or part a frame belongs to: `fastify`, `@nestjs/core`, `src/channels`, `node:http`, `(garbage collector)`. */
function partOf({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const own = /\/(?:dist|src)\/([^/]+)\//.exec(url);
  if (own) return `src/${own[1]}`;
  if (url.startsWith('node:')) return `node:${url.slice('node:'.length).split('/').slice(-1)[0].replace(/\.js$/, '')}`;
  return url.split('/').slice(-1)[0];
}

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
/** The parts on a node's stack, root to node, memoised per node. */
const partsCache = new Map();
function partsOf(id) {
  const cached = partsCache.get(id);
  if (cached) return cached;
  const node = nodes.get(id);
  const parent = parentOf.get(id);
  const parts = new Set(parent === undefined ? [] : partsOf(parent));
  if (node.callFrame.functionName !== '(root)') parts.add(partOf(node.callFrame));
  partsCache.set(id, parts);
  return parts;
}

const inclusive = new Map();
const self = new Map();
let busyUs = 0;
let idleUs = 0;
let at = 0;
for (let index = 0; index < profile.samples.length; index += 1) {
  const delta = profile.timeDeltas[index] ?? 0;
  at += delta;
  const seconds = at / 1e6;
  if (seconds < from || seconds > to) continue;
  const id = profile.samples[index];
  const leaf = nodes.get(id).callFrame;
  if (leaf.functionName === '(idle)') {
    idleUs += delta;
    continue;
  }
  busyUs += delta;
  const leafPart = partOf(leaf);
  self.set(leafPart, (self.get(leafPart) ?? 0) + delta);
  for (const part of partsOf(id)) inclusive.set(part, (inclusive.get(part) ?? 0) + delta);
}

const percent = (value) => `${((100 * value) / busyUs).toFixed(1)} %`;
const micros = (value) => (perRequestUs === undefined ? '' : ` | ${((perRequestUs * value) / busyUs).toFixed(0)}`);
process.stdout.write(
  `${file}: ${(busyUs / 1e6).toFixed(1)} s busy, ${(idleUs / 1e6).toFixed(1)} s idle between ${from} s and ${to} s\n\n`,
);
process.stdout.write(
  `| part | inclusive | self${perRequestUs === undefined ? '' : ' | inclusive µs per request'} |\n|---|---|---${perRequestUs === undefined ? '' : '|---'}|\n`,
);
for (const [part, value] of [...inclusive].sort((a, b) => b[1] - a[1])) {
  if (value / busyUs < 0.005) break;
  process.stdout.write(`| ${part} | ${percent(value)} | ${percent(self.get(part) ?? 0)}${micros(value)} |\n`);
}
