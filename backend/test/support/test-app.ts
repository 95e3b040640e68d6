import { Writable } from 'node:stream';
import type { INestApplication, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types.js';
import { AppModule } from '#src/app.module.js';
import { appCreateOptions, configureApp, createHttpAdapter } from '#src/app.setup.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { LOG_DESTINATION } from '#src/logging/log-destination.js';
import { recordRoutes } from '#test/support/routes.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

export interface TestApp {
  app: INestApplication;
  http: App;
  database: TestDatabase;
  /** Every JSON line the app logged, for asserting what never appears in logs. */
  logLines: () => string[];
  /** Listens on 127.0.0.1 (once) and answers the base URL, for clients that need a real socket. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The environment every test app starts from; a test overrides what it exercises. */
const baseEnvironment: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
  // Test-only: 32 bytes of zeros. A suite that tests the key itself sets its own.
  SECRETS_KEY: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  // Never a real provider: a key in the developer's shell must not leak into a test. Empty = unset
  // (demo mode); suites that test the DeepSeek path point it at their fake on 127.0.0.1.
  DEEPSEEK_API_KEY: '',
  DEEPSEEK_BASE_URL: 'http://127.0.0.1:9',
  // Suites register and log in far more than a person would; the rate-limit tests set their own.
  RATE_LIMIT_LOGIN_PER_MIN: '1000',
  RATE_LIMIT_REGISTER_PER_MIN: '1000',
  RATE_LIMIT_CHAT_PER_MIN: '1000',
  // Suites fail their one upstream on purpose case after case; channel tests set the real threshold.
  CHANNEL_FAILURE_THRESHOLD: '1000',
};

/**
 * Keep one app alive at a time in a test file: passport registers its strategies process-wide by
 * name, so a second app's JWT strategy would serve (and outlive) the first.
 *
 * The whole backend, assembled exactly as `main.ts` does, on a fresh migrated database of its own.
 * The environment is applied for the app's construction and restored afterwards.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    extraModules?: Type[];
    /** Boot on this database (a restart); the caller drops it. Default: a fresh one, dropped on close. */
    database?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const lines: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });

  const saved = { ...process.env };
  Object.assign(process.env, baseEnvironment, { DATABASE_URL: database.url }, options.env);
  let app: NestFastifyApplication;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(), ...(options.extraModules ?? [])],
    })
      .overrideProvider(LOG_DESTINATION)
      .useValue(logSink)
      .compile();
    app = configureApp(
      moduleRef.createNestApplication<NestFastifyApplication>(
        createHttpAdapter(moduleRef.get(AppConfigService)),
        appCreateOptions,
      ),
    );
    recordRoutes(app);
    try {
      await app.init();
      // Fastify starts its plugins and seals its routes here; supertest then uses the bare server.
      await app.getHttpAdapter().getInstance().ready();
    } catch (error) {
      // A refused boot (a test of it) must not leave its pool connected.
      await app.close().catch(() => undefined);
      if (options.database === undefined) await database.drop();
      throw error;
    }
  } finally {
    process.env = saved;
  }

  return {
    app,
    http: app.getHttpServer() as App,
    database,
    logLines: () => [...lines],
    listen: async () => {
      if (!app.getHttpServer().listening) await app.listen(0, '127.0.0.1');
      const address = app.getHttpServer().address() as { port: number };
      return `http://127.0.0.1:${address.port}`;
    },
    close: async () => {
      await app.close();
      if (options.database === undefined) await database.drop();
    },
  };
}
