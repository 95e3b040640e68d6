import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '#src/config/config.module.js';
import { DatabaseBootstrap } from '#src/database/database-bootstrap.service.js';
import { DatabaseBootstrapModule } from '#src/database/database.module.js';

@Module({ imports: [ConfigModule.forRoot(), DatabaseBootstrapModule] })
class DatabaseCliModule {}

/**
 * `npm run db:migrate` applies pending migrations; `npm run db:reset` reverts every migration (all
 * data is lost) and applies them again. Both use `DATABASE_URL`, or the embedded database.
 */
async function main(command: string | undefined): Promise<void> {
  const logger = new Logger('db');
  if (command !== 'migrate' && command !== 'reset') {
    throw new Error('usage: database-cli migrate|reset');
  }
  const context = await NestFactory.createApplicationContext(DatabaseCliModule, { logger: ['log', 'warn', 'error'] });
  try {
    const bootstrap = context.get(DatabaseBootstrap);
    const migrator = bootstrap.migrator(await bootstrap.connect());
    if (command === 'reset') logger.log(`Reverted ${await migrator.revertAll()} migrations`);
    const applied = await migrator.migrate();
    logger.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Already up to date');
  } finally {
    await context.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  new Logger('db').error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
