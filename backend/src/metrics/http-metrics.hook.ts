import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MetricsService } from '#src/metrics/metrics.service.js';

/**
 * The route pattern a request matched (`/api/admin/users/:id`, not the concrete path, so label values
 * stay few), or `unmatched`: no route (the not-found handler, which also serves the console's deep
 * links) or the catch-all that answers CORS preflights.
 */
function routeLabel(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  return pattern === undefined || pattern === '*' ? 'unmatched' : pattern;
}

/**
 * Counts every response by method, route and status once it is sent, streams and answers written by
 * hand included. One hook for the whole app, and no timer per request: Fastify measures each reply
 * from the moment the request arrived (`elapsedTime`, in ms).
 */
export function countHttpResponses(metrics: MetricsService) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = routeLabel(request);
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  };
}
