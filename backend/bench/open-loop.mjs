// A fixed-rate, open-loop load: request i leaves at start + i/rate whether or not earlier ones have
// answered, so a slow server meets the same arrivals as a fast one and its queueing shows in the
// latency (no "coordinated omission"). autocannon's `overallRate` is not this: it lets each second's
// quota go at once and then waits, which measures bursts of queueing instead.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** The first second of each load is sent but not counted: it opens the client's keep-alive sockets. */
const WARM_UP_S = 1;

/** Sends `rate` requests/s for `durationS` seconds, cycling through `requests`; answers latency percentiles in ms. */
export async function openLoop({ url, rate, durationS, requests }) {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const warmUp = Math.round(rate * WARM_UP_S);
  const total = warmUp + Math.round(rate * durationS);
  const latencies = [];
  let errors = 0;
  const inFlight = [];
  const start = performance.now();
  for (let index = 0; index < total; index += 1) {
    const scheduled = start + (index * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = performance.now();
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
            response.resume();
            response.on('end', () => {
              if (index >= warmUp) {
                if (response.statusCode !== 200) errors += 1;
                latencies.push(performance.now() - sent);
              }
              resolve();
            });
          },
        );
        outgoing.on('error', () => {
          if (index >= warmUp) errors += 1;
          resolve();
        });
        outgoing.end(spec.body);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (quantile) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), rps: latencies.length / durationS, errors };
}
