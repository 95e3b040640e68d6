import { Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * The `fetch` the `openai` SDK calls (its `fetch` option), made on undici's `request` through one
 * connection pool. Node's global `fetch` is undici too, but its WHATWG machinery is most of the cost:
 * an SDK completion against an instant upstream took ~450 µs of client CPU through the global fetch
 * and ~220–250 µs through this (`node bench/sdk-transport.mjs`, docs/benchmarks.md). What the SDK
 * sends is all this needs: a method, headers, a string body and a signal. Redirects are not followed
 * (an API endpoint does not redirect).
 */
export function requestFetch(dispatcher: Dispatcher): typeof fetch {
  return async (input, init) => {
    if (typeof init?.body !== 'string' && init?.body != null) {
      // The chat API only sends JSON; anything else is a programming error, not an upstream failure.
      throw new TypeError('requestFetch sends string bodies only');
    }
    const url = input instanceof Request ? input.url : input;
    const requestHeaders: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (requestHeaders[name] = value));
    const { statusCode, headers, body } = await request(url, {
      dispatcher,
      method: init?.method ?? 'GET',
      headers: requestHeaders,
      body: init?.body ?? null,
      signal: init?.signal ?? undefined,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined) responseHeaders.append(name, item);
      }
    }
    if (NULL_BODY_STATUSES.has(statusCode)) {
      // A Response with one of these statuses must not have a body; let the connection be reused.
      await body.dump();
      return new Response(null, { status: statusCode, headers: responseHeaders });
    }
    return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
      status: statusCode,
      headers: responseHeaders,
    });
  };
}
