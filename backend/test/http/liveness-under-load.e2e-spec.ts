import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ErrorCode } from '#src/contract/index.js';
import { pollUntil } from '#test/support/poll.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** 60,000 unknown keys, about 650 KB: the body that used to hold the event loop for 2.5 s. */
const hostileBody = Buffer.from(
  JSON.stringify(Object.fromEntries(Array.from({ length: 60_000 }, (_, index) => [`key${index}`, index]))),
);

interface Answer {
  status: number;
  body: string;
}

/** One POST of the hostile body, with a Content-Length or chunked (read before it can be measured). */
function sendHostile(baseUrl: string, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${baseUrl}/api/auth/logout`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': hostileBody.length }),
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    // The server may answer 413 and close before the whole body was written.
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve({ status: 0, body: '' });
      else reject(error);
    });
    if (chunked) {
      // Several writes, as a slow client would send it.
      for (let offset = 0; offset < hostileBody.length; offset += 64 * 1024) {
        outgoing.write(hostileBody.subarray(offset, offset + 64 * 1024));
      }
      outgoing.end();
    } else {
      outgoing.end(hostileBody);
    }
  });
}

async function probeLive(baseUrl: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/health/live`);
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return performance.now() - started;
}

/**
 * Issue #13's acceptance check: unauthenticated bodies built to be expensive (tens of thousands of
 * keys on the public logout route) must not stall the process. While a steady stream of them
 * arrives, liveness probes answer in under 100 ms (the median of twenty), and none takes as long as
 * one such body used to block the event loop (2.5 s; the bound here is 1 s). The median, not the
 * worst: senders, server and probes share this process and two cores, so one probe may meet a GC
 * pause or a busy scheduler (seen at ~230 ms under a parallel test run) without any body blocking.
 */
describe('the event loop stays free while hostile bodies arrive', () => {
  let testApp: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    baseUrl = await testApp.listen();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers /health/live in under 100 ms, and every hostile body with 413', async () => {
    // The first fetch of a process loads and compiles undici: not the server's time.
    await probeLive(baseUrl);
    let sending = true;
    const answers: Answer[] = [];
    const sender = async (chunked: boolean): Promise<void> => {
      while (sending) answers.push(await sendHostile(baseUrl, chunked));
    };
    const senders = [sender(false), sender(false), sender(true), sender(true)];
    try {
      // Probe only once the stream is flowing: several bodies have been answered already.
      await pollUntil(() => (answers.length >= 8 ? true : undefined), 30_000, 'hostile bodies to be answered');
      const latencies: number[] = [];
      for (let probe = 0; probe < 20; probe += 1) latencies.push(await probeLive(baseUrl));

      const sorted = [...latencies].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(100);
      expect(sorted.at(-1)).toBeLessThan(1000);
    } finally {
      sending = false;
      await Promise.all(senders);
    }
    const answered = answers.filter((answer) => answer.status !== 0);
    expect(answered.length).toBeGreaterThanOrEqual(8);
    for (const answer of answered) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ code: ErrorCode.PayloadTooLarge });
    }
  });
});
