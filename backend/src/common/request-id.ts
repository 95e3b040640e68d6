import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpHeader } from '#src/contract/index.js';

// A client-sent id is echoed only when it is short and plain, so it cannot smuggle text into logs.
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Node's request (Fastify's `genReqId` and pino-http see it) or Fastify's (guards, filters): both
 * carry the headers, and `id` once assigned. pino-http types `id` loosely; only strings are stored.
 */
interface RequestWithId {
  id?: unknown;
  headers: IncomingHttpHeaders;
}

/** The request's id: the one already assigned, else the client's `X-Request-Id`, else a new UUID. */
export function requestIdOf(request: RequestWithId): string {
  if (typeof request.id === 'string') return request.id;
  const sent = request.headers[HttpHeader.RequestId];
  const id = typeof sent === 'string' && acceptableRequestId.test(sent) ? sent : randomUUID();
  request.id = id;
  return id;
}

/**
 * A request hook, run before any body is read, so that every response, a 413 included, carries
 * `X-Request-Id`. Set on the Node response, not the reply: the answers routes write themselves
 * (streams, CSV exports) carry it too.
 */
export function setRequestIdHeader(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.raw.setHeader('X-Request-Id', request.id);
  done();
}
