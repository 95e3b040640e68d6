import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpHeader } from '#src/contract/index.js';

// A client-sent id is echoed only when it is short and plain, so it cannot smuggle text into logs.
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

// pino-http types `id` loosely; this module only ever stores strings there.
type RequestWithId = IncomingMessage & { id?: unknown };

/** The request's id: the one already assigned, else the client's `X-Request-Id`, else a new UUID. */
export function requestIdOf(request: RequestWithId): string {
  if (typeof request.id === 'string') return request.id;
  const sent = request.headers[HttpHeader.RequestId];
  const id = typeof sent === 'string' && acceptableRequestId.test(sent) ? sent : randomUUID();
  request.id = id;
  return id;
}

/**
 * Express middleware, mounted before body parsing so that every response, a 413 included, carries
 * `X-Request-Id`.
 */
export function requestIdMiddleware(request: RequestWithId, response: ServerResponse, next: () => void): void {
  response.setHeader('X-Request-Id', requestIdOf(request));
  next();
}
