// An open-loop load: request i leaves at its scheduled instant whether or not earlier ones have
// answered, so a slow server meets the same arrivals as a fast one and its queueing shows in the
// latency (no "coordinated omission"). autocannon's `overallRate` is not this: it lets each second's
// quota go at once and then waits, which measures bursts of queueing instead.
//
// Arrivals are evenly spaced (request i at start + i/rate) or Poisson (exponential gaps of mean
// 1/rate, as independent clients arrive): real traffic is bursty, and a burst is what finds a GC pause
// or a full pool. The Poisson gaps come from a seeded generator, so that every target of a run — the
// gateway, the peer, the upstream alone — meets the very same arrivals, and runs meet the same ones too.
// Latency counts from the scheduled instant, not from when the generator got round to sending: a late
// send is part of the wait a client at that instant would see.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** The first second of each load is sent but not counted: it opens the client's keep-alive sockets. */
const WARM_UP_S = 1;

/** The seed of every Poisson schedule unless one is given. */
export const DEFAULT_SEED = 19;

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence on every machine. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Milliseconds after the start at which each of `count` requests leaves. */
export function arrivalSchedule({ arrivals, rate, count, seed = DEFAULT_SEED }) {
  const offsets = new Array(count);
  if (arrivals === 'poisson') {
    const random = seededRandom(seed);
    let at = 0;
    for (let index = 0; index < count; index += 1) {
      offsets[index] = at;
      // Inverse of the exponential CDF; 1 - u keeps the logarithm's argument in (0, 1].
      at += (-Math.log(1 - random()) * 1000) / rate;
    }
  } else {
    for (let index = 0; index < count; index += 1) offsets[index] = (index * 1000) / rate;
  }
  return offsets;
}

const percentile = (sorted, quantile) =>
  sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? NaN;

/** A token's text in an SSE chunk of OpenAI's format: the first one ends the time to first token. */
const FIRST_TOKEN = /"content":"[^"]/;

/**
 * Sends `rate` requests/s for `durationS` seconds (plus a warm-up second), cycling through `requests`.
 * `arrivals`: 'even' or 'poisson' (seeded by `seed`). `firstToken`: also time each response's first
 * token (streams). Answers, in ms, the latency percentiles of the counted requests (to the response's
 * end) and their time to first token when asked; `offered` and `served`, requests/s: arrivals over the
 * span they arrived in, and answers over the span from the first counted arrival to the last answer —
 * a server that keeps up serves what is offered, one that falls behind drains a queue after the last
 * arrival and serves less; `keptUp` when it served at least 95 % of the offered rate.
 */
export async function openLoop({
  url,
  rate,
  durationS,
  requests,
  arrivals = 'even',
  seed = DEFAULT_SEED,
  firstToken = false,
  maxSockets = 256,
}) {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const warmUp = Math.round(rate * WARM_UP_S);
  const total = warmUp + Math.round(rate * durationS);
  const schedule = arrivalSchedule({ arrivals, rate, count: total, seed });
  const latencies = [];
  const firstTokens = [];
  let errors = 0;
  let lastAnswer = 0;
  const inFlight = [];
  const start = performance.now();
  for (let index = 0; index < total; index += 1) {
    const scheduled = start + schedule[index];
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    const counted = index >= warmUp;
    const spec = requests[index % requests.length];
    inFlight.push(
      new Promise((resolve) => {
        const outgoing = request(
          {
            host: target.hostname,
            port: target.port,
            method: spec.method,
            path: spec.path,
            headers: spec.headers,
            agent,
          },
          (response) => {
            let text = '';
            let tokenAt;
            if (firstToken) {
              response.setEncoding('utf8');
              response.on('data', (chunk) => {
                if (tokenAt !== undefined) return;
                text += chunk;
                if (FIRST_TOKEN.test(text)) tokenAt = performance.now();
              });
            } else {
              response.resume();
            }
            response.on('end', () => {
              const now = performance.now();
              if (counted) {
                if (response.statusCode !== 200 || (firstToken && tokenAt === undefined)) errors += 1;
                latencies.push(now - scheduled);
                if (tokenAt !== undefined) firstTokens.push(tokenAt - scheduled);
                lastAnswer = Math.max(lastAnswer, now);
              }
              resolve();
            });
          },
        );
        outgoing.on('error', () => {
          if (counted) errors += 1;
          resolve();
        });
        outgoing.end(spec.body);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  firstTokens.sort((a, b) => a - b);
  const counted = total - warmUp;
  const firstCounted = start + schedule[warmUp];
  const arrivalSpan = (schedule[total - 1] - schedule[warmUp]) / 1000;
  const offered = counted / arrivalSpan;
  const served = latencies.length / ((lastAnswer - firstCounted) / 1000);
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    ...(firstToken ? { ttftP50: percentile(firstTokens, 0.5), ttftP99: percentile(firstTokens, 0.99) } : {}),
    rps: latencies.length / durationS,
    sent: total,
    offered,
    served,
    keptUp: served >= 0.95 * offered,
    errors,
  };
}
