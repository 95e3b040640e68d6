import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigService } from '#src/config/app-config.service.js';
import { DatabaseBootstrap } from '#src/database/database-bootstrap.service.js';
import { Database } from '#src/database/database.service.js';
import { MigrationStatus } from '#src/database/migration-status.service.js';
import { runtimeDataSourceOptions } from '#src/database/runtime-data-source.js';

@Module({
  providers: [DatabaseBootstrap],
  exports: [DatabaseBootstrap],
})
export class DatabaseBootstrapModule {}

@Global()
@Module({
  imports: [
    DatabaseBootstrapModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseBootstrapModule],
      inject: [DatabaseBootstrap, AppConfigService],
      useFactory: async (bootstrap: DatabaseBootstrap, config: AppConfigService) =>
        runtimeDataSourceOptions(await bootstrap.prepare(), config.databasePoolMax),
    }),
  ],
  providers: [Database, MigrationStatus],
  exports: [Database, MigrationStatus, DatabaseBootstrapModule],
})
export class DatabaseModule {}
