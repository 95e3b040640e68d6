import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { NotFoundException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'nestjs-pino';
import type { AppConfigService } from '#src/config/app-config.service.js';

export const CONSOLE_PATH = '/admin';
const INDEX_FILE = 'index.html';

/**
 * Cache policy of the console's files: the build names scripts and styles by content hash, so they
 * never change and may be kept for a year; `index.html` names the current ones and is revalidated.
 */
function setCacheHeaders(reply: FastifyReply, path: string): void {
  void reply.header('Cache-Control', path.endsWith(INDEX_FILE) ? 'no-cache' : 'public, max-age=31536000, immutable');
}

/**
 * What no file under /admin answers: the console's own deep links (/admin/users/…) are client-side
 * routes, so a reload gets index.html; `/admin` itself moves to `/admin/`, where the console's
 * relative URLs resolve. Any other method is the API's ordinary 404.
 */
function consoleFallback(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new NotFoundException(`Cannot ${request.method} ${request.url}`);
  }
  const query = request.url.indexOf('?');
  const path = query === -1 ? request.url : request.url.slice(0, query);
  if (path.toLowerCase() === CONSOLE_PATH) {
    return reply.redirect(`${path}/${query === -1 ? '' : request.url.slice(query)}`, 301);
  }
  setCacheHeaders(reply, INDEX_FILE);
  return reply.sendFile(INDEX_FILE);
}

/**
 * The admin console (an Angular build) at `/admin`, from the same origin as the API it calls, so
 * it needs no CORS and stays under the API's security headers. The API works without it (tests,
 * API-only deployments); then `/admin` is an ordinary 404 and the log says why.
 */
export function serveConsole(app: NestFastifyApplication, config: AppConfigService, logger: Logger): void {
  const root = config.consoleDir;
  if (!existsSync(join(root, INDEX_FILE))) {
    logger.warn(
      `No admin console build in ${root}; ${CONSOLE_PATH} is not served (npm run build builds it)`,
      'Console',
    );
    return;
  }
  const server = app.getHttpAdapter().getInstance();
  void app.register(
    async (scope: FastifyInstance) => {
      // Errors here (a file that cannot be read, the 404 above) are the app's: answered in the
      // contract's shape by the handler Nest installs on the root once the routes are known.
      scope.setErrorHandler((error, request, reply) => {
        server.errorHandler(error, request, reply);
      });
      await scope.register(fastifyStatic, {
        root,
        // Relative to this scope's prefix, /admin.
        prefix: '/',
        index: INDEX_FILE,
        // Dotfiles are nobody's business; their names fall through to the console, as any unknown path.
        dotfiles: 'ignore',
        setHeaders: setCacheHeaders,
      });
      scope.setNotFoundHandler(consoleFallback);
    },
    { prefix: CONSOLE_PATH },
  );
}
