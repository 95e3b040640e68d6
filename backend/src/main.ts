import { inspect } from 'node:util';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from '#src/app.module.js';
import { appCreateOptions, configureApp } from '#src/app.setup.js';
import { ChannelRegistry } from '#src/channels/channel-registry.js';
import { AppConfigService } from '#src/config/app-config.service.js';

async function bootstrap(): Promise<void> {
  const app = configureApp(await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), appCreateOptions));
  app.enableShutdownHooks();
  const config = app.get(AppConfigService);
  await app.listen(config.port);
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
