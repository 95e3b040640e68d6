// The fake DeepSeek every benchmark talks to, on loopback: answers at once, so that what is measured
// is the gateway.
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** Streams stay open this long upstream, so that 1,000 of them are in flight at once. */
const STREAM_CHUNK_GAP_MS = 1500;

/**
 * DeepSeek's wire format: JSON answered at once; a stream sends three chunks STREAM_CHUNK_GAP_MS
 * apart, then its usage. `openStreams.max` tells how many streams were open at the same moment.
 */
export function startInstantUpstream(port) {
  const openStreams = { now: 0, max: 0 };
  const completion = JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 0,
    model: 'deepseek-chat',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Benchmark answer.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
  });
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (body.includes('"stream":true')) {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        const chunk = (delta, finish) =>
          `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'deepseek-chat', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        openStreams.now += 1;
        openStreams.max = Math.max(openStreams.max, openStreams.now);
        void (async () => {
          response.write(chunk({ content: 'Bench' }, null));
          await sleep(STREAM_CHUNK_GAP_MS);
          response.write(chunk({ content: 'mark.' }, null));
          await sleep(STREAM_CHUNK_GAP_MS);
          response.write(chunk({}, 'stop'));
          await sleep(STREAM_CHUNK_GAP_MS);
          response.end(
            `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'deepseek-chat', choices: [], usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } })}\n\ndata: [DONE]\n\n`,
          );
          openStreams.now -= 1;
        })();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(completion);
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, openStreams })));
}
