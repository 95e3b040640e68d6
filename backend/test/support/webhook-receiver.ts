import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebhookEventBody } from '#src/contract/index.js';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  rawBody: string;
  event: WebhookEventBody;
  receivedAt: number;
}

/** What the receiver answers to one delivery. */
export interface ReceiverAnswer {
  status: number;
  delayMs?: number;
}

/**
 * A webhook receiver on 127.0.0.1: records every delivery as it arrived (raw body included, for
 * signature checks) and answers as told — by default 200 at once; `answerNext` queues answers for the
 * next deliveries, one each.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly upcoming: ReceiverAnswer[] = [];
  private fallback: ReceiverAnswer = { status: 200 };
  /** Cuts the answers still waiting when the receiver stops. */
  private readonly stopping = new AbortController();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const receivers: WebhookReceiver[] = [];
    const server = createServer((request, response) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const [receiver] = receivers;
        if (receiver === undefined) return;
        receiver.received.push({
          headers: request.headers,
          rawBody,
          event: JSON.parse(rawBody) as WebhookEventBody,
          receivedAt: Date.now(),
        });
        const answer = receiver.upcoming.shift() ?? receiver.fallback;
        if (answer.delayMs !== undefined) {
          await sleep(answer.delayMs, undefined, { signal: receiver.stopping.signal }).catch(() => undefined);
        }
        if (!response.destroyed) response.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok');
      })();
    });
    const receiver = new WebhookReceiver(server);
    receivers.push(receiver);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  answer(answer: ReceiverAnswer): void {
    this.fallback = answer;
  }

  answerNext(...answers: ReceiverAnswer[]): void {
    this.upcoming.push(...answers);
  }

  /** The deliveries of one event type. */
  of(type: string): ReceivedDelivery[] {
    return this.received.filter((delivery) => delivery.event.type === type);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
