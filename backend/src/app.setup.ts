import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { useJsonBodies } from '#src/common/json-body.js';
import { setupOpenApi } from '#src/common/openapi.js';
import { requestIdMiddleware } from '#src/common/request-id.js';
import { createValidationPipe } from '#src/common/validation.pipe.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { serveConsole } from '#src/console/serve-console.js';
import { httpMetricsMiddleware } from '#src/metrics/http-metrics.middleware.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

function noStore(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

/** Options every CreditGate app is created with; body parsing is registered by `configureApp`. */
export const appCreateOptions = { bodyParser: false, bufferLogs: true } as const;

/**
 * Everything that sits in front of the routes, shared by `main.ts` and the e2e tests so that they
 * exercise the same stack. Order matters: the request id comes first so that even a body rejected
 * by the parser (413, bad JSON) answers with `X-Request-Id`.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfigService);
  const logger = app.get(Logger);
  app.useLogger(logger);
  // The client's address is the socket's peer unless TRUST_PROXY names the proxies in front of us:
  // believing X-Forwarded-For from anyone else would let a client choose its own rate-limit key.
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  app.use(
    helmet({
      // No `upgrade-insecure-requests`: the console is also opened over plain HTTP (a compose stack on
      // http://host:3000/admin), where it would send its own scripts to an https:// that is not there.
      // TLS and HSTS belong to the proxy that terminates TLS.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.enableCors({
    // No listed origins: browsers may call the API only from its own origin (the console at /admin).
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  // API answers carry tokens, balances and usage: never kept by a browser or a shared cache.
  app.use(['/api', '/v1'], noStore);
  useJsonBodies(app, config.bodyLimitBytes);
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  serveConsole(app, config, logger);
  return app;
}
