import helmet from '@fastify/helmet';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppError } from '#src/common/app-error.js';
import { useJsonBodies } from '#src/common/json-body.js';
import { setupOpenApi } from '#src/common/openapi.js';
import { requestIdOf, setRequestIdHeader } from '#src/common/request-id.js';
import { createValidationPipe } from '#src/common/validation.pipe.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { ErrorCode } from '#src/contract/index.js';
import { serveConsole } from '#src/console/serve-console.js';
import { countHttpResponses } from '#src/metrics/http-metrics.hook.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/** The API's paths: their answers carry tokens, balances and usage. */
const noStorePaths = /^\/(api|v1)(\/|\?|$)/i;

/**
 * API answers are never kept by a browser or a shared cache. Set on the Node response, not the
 * reply, so that the answers routes write themselves (streams, CSV exports) carry it too.
 */
function noStore(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (noStorePaths.test(request.url)) reply.raw.setHeader('Cache-Control', 'no-store');
  done();
}

/** Options every CreditGate app is created with; body parsing is registered by `configureApp`. */
export const appCreateOptions = { bodyParser: false, bufferLogs: true } as const;

/** Node's default limit on a request's head: no path parameter Node accepts is too long to route. */
const MAX_PARAM_LENGTH = 16 * 1024;
/**
 * Node's own defaults, which Fastify would replace (72 s, and no limit): an idle keep-alive connection
 * is closed after 5 s, and a client gets 5 minutes to send its whole request.
 */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 300_000;

/**
 * A URL the router cannot even match (a path parameter that is no percent-encoded UTF-8, `%ED%A0%80`)
 * fails before any hook runs: it is still the contract's 400, from the app's error handler, with its
 * request id — not Fastify's own body.
 */
function refuseUnroutableUrl(_error: Error, request: FastifyRequest, reply: FastifyReply): void {
  noStore(request, reply, () => undefined);
  request.server.errorHandler(
    new AppError(ErrorCode.ValidationFailed, 'The URL is not valid: a path segment is not percent-encoded UTF-8.'),
    request,
    reply,
  );
}

/**
 * The HTTP server (Fastify, under Nest), from the settings it fixes when it is created; shared by
 * `main.ts` and the e2e tests like `configureApp`.
 */
export function createHttpAdapter(config: AppConfigService): FastifyAdapter {
  return new FastifyAdapter({
    // The client's address is the socket's peer unless TRUST_PROXY names the proxies in front of us:
    // believing X-Forwarded-For from anyone else would let a client choose its own rate-limit key.
    trustProxy: config.trustProxy,
    // Every request's id, also the log lines' (requestIdOf: the client's when plain, else a UUID).
    genReqId: requestIdOf,
    routerOptions: {
      // Routing ignores case and a trailing slash, as it always has (clients call /v1/chat/completions/).
      caseSensitive: false,
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
    },
    // While shutting down, requests on open connections are still answered (the in-flight ones
    // finish, docs/scaling.md); Fastify's own 503 would not be in the contract's shape.
    return503OnClosing: false,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    frameworkErrors: refuseUnroutableUrl,
  });
}

/**
 * Everything that sits in front of the routes, shared by `main.ts` and the e2e tests so that they
 * exercise the same stack. The request id is set first, so that even a body rejected by the parser
 * (413, bad JSON) answers with `X-Request-Id`; the body checks run after every request hook.
 */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const config = app.get(AppConfigService);
  const logger = app.get(Logger);
  app.useLogger(logger);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', setRequestIdHeader);
  fastify.addHook('onResponse', countHttpResponses(app.get(MetricsService)));
  void app.register(helmet, {
    // No `upgrade-insecure-requests`: the console is also opened over plain HTTP (a compose stack on
    // http://host:3000/admin), where it would send its own scripts to an https:// that is not there.
    // TLS and HSTS belong to the proxy that terminates TLS.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  app.enableCors({
    // No listed origins: browsers may call the API only from its own origin (the console at /admin).
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  fastify.addHook('onRequest', noStore);
  useJsonBodies(app, config.bodyLimitBytes);
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  serveConsole(app, config, logger);
  return app;
}
