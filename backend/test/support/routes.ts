import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

interface Route {
  method: string;
  path: string;
}

const recorded = new WeakMap<INestApplication, Route[]>();

/**
 * Records the routes as Fastify registers them (it keeps no list to read afterwards); createTestApp
 * calls it before `init()`. The HEAD twin Fastify adds to each GET is left out: no controller declares
 * HEAD routes.
 */
export function recordRoutes(app: NestFastifyApplication): void {
  const routes: Route[] = [];
  recorded.set(app, routes);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') routes.push({ method, path: route.url });
      }
    });
}

/** Every route the app serves, as Fastify registered it (method upper-case, path with :params). */
export function registeredRoutes(app: INestApplication): Route[] {
  const routes = recorded.get(app);
  if (routes === undefined) throw new Error('registeredRoutes needs an app made by createTestApp');
  return [...routes];
}
