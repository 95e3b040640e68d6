import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfigService } from '#src/config/app-config.service.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '#src/database/embedded-database.js';
import { Migrator } from '#src/database/migrator.js';
import {
  assertRuntimeLoginIsUnprivileged,
  runtimeLoginPassword,
  runtimeLoginUrl,
} from '#src/database/runtime-login.js';

/**
 * Brings the database up before anything uses it: starts the embedded PostgreSQL when no
 * `DATABASE_URL` is set, applies pending migrations as the owner, stores the settings the SQL side
 * reads, and sets up the runtime role's login, which the pool then uses. On shutdown it closes the
 * pool before it stops the embedded server.
 */
@Injectable()
export class DatabaseBootstrap implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseBootstrap.name);
  private embedded?: EmbeddedDatabase;
  private ownerUrl?: Promise<string>;

  constructor(
    private readonly config: AppConfigService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The owner connection URL, starting the embedded server on first use. */
  connect(): Promise<string> {
    this.ownerUrl ??= this.resolveOwnerUrl();
    return this.ownerUrl;
  }

  migrator(url: string): Migrator {
    return new Migrator(url, this.config.migrationsDir);
  }

  /** A boot-time statement the runtime role may not run (see Migrator.ownerRows). */
  async ownerRows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.migrator(await this.connect()).ownerRows<T>(sql, parameters);
  }

  /**
   * Connects, migrates and applies settings as the owner, then checks the runtime login; what the
   * application does once at boot. Answers the runtime login's URL, for the pool: from here on the
   * owner's connection is used only for the admin bootstrap.
   */
  async prepare(): Promise<string> {
    const ownerUrl = await this.connect();
    const migrator = this.migrator(ownerUrl);
    const applied = await migrator.migrate();
    if (applied.length > 0) this.logger.log(`Applied migrations: ${applied.join(', ')}`);
    const runtimePassword = runtimeLoginPassword(ownerUrl, this.config.databaseAppPassword);
    await migrator.applySettings({
      signupCredits: this.config.signupCredits,
      lowCreditsThreshold: this.config.lowCreditsThreshold,
      accessTokenSecret: this.config.jwtSecret,
      runtimePassword,
    });
    const runtimeUrl = runtimeLoginUrl(ownerUrl, runtimePassword);
    await assertRuntimeLoginIsUnprivileged(runtimeUrl);
    return runtimeUrl;
  }

  async onApplicationShutdown(): Promise<void> {
    const dataSource = this.runtimeDataSource();
    if (dataSource?.isInitialized) await dataSource.destroy();
    if (this.embedded) {
      await this.embedded.stop();
      this.embedded = undefined;
      this.logger.log('Embedded PostgreSQL stopped');
    }
  }

  /** The pool, when this context has one (the migration CLI has none). */
  private runtimeDataSource(): DataSource | undefined {
    try {
      return this.moduleRef.get(DataSource, { strict: false });
    } catch {
      return undefined;
    }
  }

  private async resolveOwnerUrl(): Promise<string> {
    const configured = this.config.databaseUrl;
    if (configured !== undefined) return configured;
    this.embedded = await startEmbeddedDatabase({
      dataDir: this.config.dataDir,
      port: this.config.embeddedDatabasePort,
      logger: this.logger,
    });
    return this.embedded.url;
  }
}
