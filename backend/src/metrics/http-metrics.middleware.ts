import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from '#src/metrics/metrics.service.js';

/**
 * Counts every response by its route pattern (`/api/admin/users/:id`, not the concrete path, so
 * label values stay few); requests no route of ours matched count as `unmatched`.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    response.once('finish', () => {
      const routePath = (request.route as { path?: string } | undefined)?.path;
      // No route, or Nest's catch-all 404 route: either way, no route of ours.
      const route =
        routePath === undefined || routePath.startsWith('/{*') ? 'unmatched' : `${request.baseUrl}${routePath}`;
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      stop({ method: request.method, route });
    });
    next();
  };
}
