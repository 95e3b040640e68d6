import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'nestjs-pino';
import type { AppConfigService } from '#src/config/app-config.service.js';

export const CONSOLE_PATH = '/admin';

/**
 * Cache policy of the console's files: the build names scripts and styles by content hash, so they
 * never change and may be kept for a year; `index.html` names the current ones and is revalidated.
 */
function setCacheHeaders(response: Response, path: string): void {
  response.setHeader('Cache-Control', path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
}

/**
 * The admin console (an Angular build) at `/admin`, from the same origin as the API it calls, so
 * it needs no CORS and stays under the API's security headers. The API works without it (tests,
 * API-only deployments); then `/admin` is an ordinary 404 and the log says why.
 */
export function serveConsole(app: NestExpressApplication, config: AppConfigService, logger: Logger): void {
  const root = config.consoleDir;
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    logger.warn(
      `No admin console build in ${root}; ${CONSOLE_PATH} is not served (npm run build builds it)`,
      'Console',
    );
    return;
  }
  app.useStaticAssets(root, { prefix: CONSOLE_PATH, index: 'index.html', setHeaders: setCacheHeaders });
  // The console's own deep links (/admin/users/…) are client-side routes: a reload gets index.html.
  app.use(CONSOLE_PATH, (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      next();
      return;
    }
    setCacheHeaders(response, indexFile);
    response.sendFile(indexFile);
  });
}
