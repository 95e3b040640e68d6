import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** A form field as Stripe's form encoding nests it: `line_items[0][price_data][currency]=usd`. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

/** A Checkout Session as Stripe answers it (the fields this integration and its tests read). */
export interface FakeCheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  url: string;
  amount_total: number;
  amount_subtotal: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  status: 'open' | 'complete' | 'expired';
  success_url: string;
  cancel_url: string;
  created: number;
  expires_at: number;
  livemode: false;
}

export interface RecordedStripeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, FormValue>;
}

/**
 * Parses `application/x-www-form-urlencoded` the way Stripe reads it: brackets nest, numeric keys are
 * array positions.
 */
export function parseStripeForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const path = name.replace(/\]/g, '').split('[');
    let node: Record<string, FormValue> | FormValue[] = root;
    path.forEach((key, index) => {
      const container = node as Record<string, FormValue>;
      if (index === path.length - 1) {
        container[key] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1] ?? '');
      container[key] ??= nextIsIndex ? [] : {};
      node = container[key] as Record<string, FormValue> | FormValue[];
    });
  }
  return root;
}

const field = (value: FormValue | undefined, ...path: (string | number)[]): string | undefined => {
  let node: FormValue | undefined = value;
  for (const key of path) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = (node as Record<string, FormValue>)[String(key)];
  }
  return typeof node === 'string' ? node : undefined;
};

/**
 * Stripe's Checkout Sessions API on 127.0.0.1, speaking its wire format to the official client:
 * form-encoded `POST /v1/checkout/sessions` with `Authorization: Bearer sk_test_…`, answered with the
 * session's JSON (`cs_test_…`, unpaid, open); a wrong key gets Stripe's 401 error body. A repeated
 * `Idempotency-Key` answers the session it made first, as Stripe does. `GET /pay/:id` is the hosted
 * page the session's `url` points at (a stand-in). Events are signed as Stripe signs them, with the
 * official client's `generateTestHeaderString`.
 */
export class FakeStripe {
  readonly requests: RecordedStripeRequest[] = [];
  readonly sessions = new Map<string, FakeCheckoutSession>();
  private readonly byIdempotencyKey = new Map<string, FakeCheckoutSession>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private acceptedKey: string,
  ) {}

  static async start(secretKey: string): Promise<FakeStripe> {
    const holder: { fake?: FakeStripe } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const fake = holder.fake;
        if (fake === undefined) return;
        const answer = fake.handle(request.method ?? 'GET', request.url ?? '/', request.headers, Buffer.concat(chunks));
        response.writeHead(answer.status, {
          'Content-Type': answer.html ? 'text/html; charset=utf-8' : 'application/json',
          'Request-Id': `req_${randomBytes(7).toString('hex')}`,
        });
        response.end(answer.html ?? JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeStripe(server, `http://127.0.0.1:${port}`, secretKey);
    return holder.fake;
  }

  /** From now on only this key is accepted (the backend's then gets 401). */
  acceptOnly(secretKey: string): void {
    this.acceptedKey = secretKey;
  }

  /** The session-creating calls received, oldest first. */
  sessionCreates(): RecordedStripeRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path === '/v1/checkout/sessions');
  }

  /** A Stripe event about `session` (as it stands, with `changes`), e.g. `checkout.session.completed`. */
  event(type: string, session: FakeCheckoutSession, changes: Partial<FakeCheckoutSession> = {}): Stripe.Event {
    return {
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: { ...session, ...changes } },
    } as unknown as Stripe.Event;
  }

  /** The body and the `Stripe-Signature` header Stripe would send for `event`. */
  static signed(
    event: Stripe.Event,
    secret: string,
    options: { timestamp?: number } = {},
  ): { payload: string; signature: string } {
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    });
    return { payload, signature };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  private handle(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): { status: number; body?: unknown; html?: string } {
    const path = url.split('?')[0] ?? '/';
    const payPage = /^\/pay\/(cs_test_\w+)$/.exec(path);
    if (method === 'GET' && payPage) {
      const session = this.sessions.get(payPage[1] ?? '');
      if (session === undefined) return { status: 404, html: '<!doctype html><title>Not found</title>' };
      return {
        status: 200,
        html: `<!doctype html><title>Fake Stripe Checkout</title><h1>Pay ${session.amount_total} ${session.currency}</h1>`,
      };
    }
    const form = parseStripeForm(body.toString('utf8'));
    this.requests.push({ method, path, headers, form });
    const key = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
    if (key !== this.acceptedKey) {
      const masked =
        key === undefined ? '' : `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
      return {
        status: 401,
        body: {
          error: {
            message: key === undefined ? 'You did not provide an API key.' : `Invalid API Key provided: ${masked}`,
            type: 'invalid_request_error',
          },
        },
      };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(form, headers);
    return {
      status: 404,
      body: { error: { message: `Unrecognized request URL (${method}: ${path}).`, type: 'invalid_request_error' } },
    };
  }

  private createSession(
    form: Record<string, FormValue>,
    headers: IncomingHttpHeaders,
  ): { status: number; body: unknown } {
    const idempotencyKey = headers['idempotency-key'];
    const replay = typeof idempotencyKey === 'string' ? this.byIdempotencyKey.get(idempotencyKey) : undefined;
    if (replay !== undefined) return { status: 200, body: replay };

    const lineItems = form['line_items'];
    const currency = field(lineItems, 0, 'price_data', 'currency');
    const unitAmount = Number(field(lineItems, 0, 'price_data', 'unit_amount'));
    const quantity = Number(field(lineItems, 0, 'quantity') ?? '1');
    const successUrl = field(form['success_url']);
    const cancelUrl = field(form['cancel_url']);
    if (field(form['mode']) !== 'payment' || currency === undefined || !Number.isInteger(unitAmount)) {
      return {
        status: 400,
        body: {
          error: { message: 'Missing required param: line_items[0][price_data].', type: 'invalid_request_error' },
        },
      };
    }
    const id = `cs_test_${randomBytes(24)
      .toString('base64url')
      .replace(/[^A-Za-z0-9]/g, 'a')}`;
    const created = Math.floor(Date.now() / 1000);
    const metadata = form['metadata'];
    const session: FakeCheckoutSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      url: `${this.url}/pay/${id}`,
      amount_total: unitAmount * quantity,
      amount_subtotal: unitAmount * quantity,
      currency,
      client_reference_id: field(form['client_reference_id']) ?? null,
      metadata:
        metadata !== undefined && typeof metadata === 'object' && !Array.isArray(metadata)
          ? (Object.fromEntries(Object.entries(metadata).filter(([, value]) => typeof value === 'string')) as Record<
              string,
              string
            >)
          : {},
      payment_status: 'unpaid',
      status: 'open',
      success_url: successUrl ?? '',
      cancel_url: cancelUrl ?? '',
      created,
      expires_at: created + 24 * 3600,
      livemode: false,
    };
    this.sessions.set(id, session);
    if (typeof idempotencyKey === 'string') this.byIdempotencyKey.set(idempotencyKey, session);
    return { status: 200, body: session };
  }
}
