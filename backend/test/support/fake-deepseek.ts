import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the fake answers to the next requests (until told otherwise). */
export type FakeBehaviour =
  | {
      kind: 'answer';
      content: string;
      finishReason?: string;
      /** `null`: the answer carries no usage object. */
      usage?: { promptTokens: number; completionTokens: number } | null;
      /** Sent as the usage object as it is, however wrong (overrides `usage`). */
      rawUsage?: Record<string, unknown>;
      delayMs?: number;
      /** Characters per streamed chunk (default 8). */
      chunkChars?: number;
      /** Blank lines sent before the JSON, as DeepSeek does to keep a waiting connection alive. */
      keepAliveLines?: number;
    }
  | { kind: 'status'; status: number; message?: string }
  /** Streams `content` (SSE), then stops sending without ending the response. */
  | { kind: 'stream-then-stall'; content: string }
  /** Streams `content` (SSE), then drops the connection without finishing. */
  | { kind: 'stream-then-drop'; content: string }
  | { kind: 'hang' }
  | { kind: 'stall-after-headers' }
  | { kind: 'not-json' }
  | { kind: 'drop-connection' };

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: { model?: string; messages?: { role: string; content: string }[]; max_tokens?: number; stream?: boolean };
}

/**
 * A stand-in for DeepSeek: a real HTTP server on 127.0.0.1 that speaks OpenAI's chat-completions
 * wire format (JSON, and SSE when `stream: true`), so the official SDK, deadlines and stalls are
 * exercised for real. `closedConnections` counts requests whose client went away before an answer.
 */
export class FakeDeepSeek {
  readonly requests: RecordedRequest[] = [];
  /** When each answered response ended (ms since the epoch), in order. */
  readonly finishedAt: number[] = [];
  closedConnections = 0;
  private behaviour: FakeBehaviour = { kind: 'answer', content: 'Hello from the fake.' };
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  static async start(): Promise<FakeDeepSeek> {
    const fake = new FakeDeepSeek();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  behave(behaviour: FakeBehaviour): void {
    this.behaviour = behaviour;
  }

  reset(): void {
    this.requests.length = 0;
    this.finishedAt.length = 0;
    this.closedConnections = 0;
    this.behaviour = { kind: 'answer', content: 'Hello from the fake.' };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as RecordedRequest['body'];
    this.requests.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
    response.on('close', () => {
      if (response.writableFinished) this.finishedAt.push(Date.now());
      else this.closedConnections += 1;
    });

    const behaviour = this.behaviour;
    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'stall-after-headers':
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.flushHeaders();
        return;
      case 'drop-connection':
        request.socket.destroy();
        return;
      case 'not-json':
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>gateway error</html>');
        return;
      case 'status':
        response.writeHead(behaviour.status, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            error: { message: behaviour.message ?? `fake error ${behaviour.status}`, type: 'fake', code: null },
          }),
        );
        return;
      case 'stream-then-stall':
      case 'stream-then-drop':
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        for (const piece of behaviour.content.match(/.{1,8}/gs) ?? []) {
          const chunk = { id: 'chatcmpl-stall', object: 'chat.completion.chunk', created: 0, model: body.model };
          response.write(
            `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`,
          );
        }
        if (behaviour.kind === 'stream-then-drop') {
          // Let the pieces reach the gateway, then cut the connection mid-answer.
          await sleep(50);
          request.socket.destroy();
        }
        return;
      case 'answer':
        await this.answer(behaviour, body, response);
    }
  }

  private async answer(
    behaviour: Extract<FakeBehaviour, { kind: 'answer' }>,
    body: RecordedRequest['body'],
    response: ServerResponse,
  ): Promise<void> {
    const usage =
      behaviour.rawUsage ??
      (behaviour.usage === null
        ? undefined
        : {
            prompt_tokens: behaviour.usage?.promptTokens ?? 12,
            completion_tokens: behaviour.usage?.completionTokens ?? 30,
            total_tokens: (behaviour.usage?.promptTokens ?? 12) + (behaviour.usage?.completionTokens ?? 30),
          });
    const base = { id: `chatcmpl-${this.requests.length}`, created: Math.floor(Date.now() / 1000), model: body.model };
    if (body.stream === true) {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      const send = (data: unknown): boolean => response.write(`data: ${JSON.stringify(data)}\n\n`);
      for (const piece of behaviour.content.match(new RegExp(`.{1,${behaviour.chunkChars ?? 8}}`, 'gs')) ?? []) {
        send({
          ...base,
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
        });
        await sleep(behaviour.delayMs ?? 0);
      }
      send({
        ...base,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: {}, finish_reason: behaviour.finishReason ?? 'stop' }],
      });
      if (usage) send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
      response.end('data: [DONE]\n\n');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    for (let line = 0; line < (behaviour.keepAliveLines ?? 0); line += 1) {
      response.write('\n');
      await sleep(20);
    }
    await sleep(behaviour.delayMs ?? 0);
    response.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: behaviour.content },
            finish_reason: behaviour.finishReason ?? 'stop',
          },
        ],
        ...(usage ? { usage } : {}),
      }),
    );
  }
}
