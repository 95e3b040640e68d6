import { Injectable } from '@nestjs/common';
import { AppConfigService } from '#src/config/app-config.service.js';
import { Database } from '#src/database/database.service.js';
import { MIGRATIONS_TABLE } from '#src/database/database-roles.js';
import { loadSqlMigrations } from '#src/database/sql-migrations.js';

/** Compares the migrations shipped with this build to those recorded in the database. */
@Injectable()
export class MigrationStatus {
  private readonly expected: string[];

  constructor(
    private readonly db: Database,
    config: AppConfigService,
  ) {
    this.expected = loadSqlMigrations(config.migrationsDir).map((Migration) => new Migration().name ?? '');
  }

  async pending(): Promise<string[]> {
    const rows = await this.db.rows<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((row) => row.name));
    return this.expected.filter((name) => !applied.has(name));
  }
}
