import { inspect } from 'node:util';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from '#src/app.module.js';
import { appCreateOptions, configureApp, createHttpAdapter } from '#src/app.setup.js';
import { ChannelRegistry } from '#src/channels/channel-registry.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { ConfigModule } from '#src/config/config.module.js';

/**
 * The HTTP server fixes some settings (TRUST_PROXY) when it is created, before the app exists: they
 * are read from the same validated configuration, in a context of its own.
 */
async function createHttpAdapterFromConfig(): Promise<ReturnType<typeof createHttpAdapter>> {
  // Not aborting on an error: a bad environment is thrown, and reported below like any failed start.
  const settings = await NestFactory.createApplicationContext(ConfigModule.forRoot(), {
    logger: false,
    abortOnError: false,
  });
  try {
    return createHttpAdapter(settings.get(AppConfigService));
  } finally {
    await settings.close();
  }
}

async function bootstrap(): Promise<void> {
  const adapter = await createHttpAdapterFromConfig();
  const app = configureApp(
    await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), adapter, appCreateOptions),
  );
  app.enableShutdownHooks();
  const config = app.get(AppConfigService);
  // Fastify, unlike Node's own default, would listen on localhost only: the address is LISTEN_ADDRESS's.
  await app.listen(config.port, config.listenAddress);
  const demo = await app.get(ChannelRegistry).isDemoMode();
  app
    .get(Logger)
    .log(
      `CreditGate listening on http://localhost:${config.port} (${config.nodeEnv}${demo ? ', demo mode: no DeepSeek key or channel, answers are generated locally' : ''})`,
      'Bootstrap',
    );
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet (bad environment, database down): report plainly and fail.
  process.stderr.write(`CreditGate failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof Error && error.cause !== undefined) process.stderr.write(`  cause: ${inspect(error.cause)}\n`);
  process.exit(1);
});
