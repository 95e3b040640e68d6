import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * The Node response of a route that writes its answer itself (a stream of events, a CSV export), with
 * its status and headers set: the headers set on the reply so far (the rate limit's among them) move
 * to it, since Fastify only writes them when it sends a reply itself. Nothing is sent yet, so an
 * error before the first write is still answered as an error.
 */
export function takeOverResponse(
  reply: FastifyReply,
  statusCode: number,
  headers: OutgoingHttpHeaders,
): ServerResponse {
  const response = reply.raw;
  for (const [name, value] of Object.entries({ ...reply.getHeaders(), ...headers })) {
    if (value !== undefined) response.setHeader(name, value);
  }
  response.statusCode = statusCode;
  return response;
}
