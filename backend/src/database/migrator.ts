import { DataSource } from 'typeorm';
import { MIGRATION_LOCK_KEY, MIGRATIONS_TABLE } from '#src/database/database-roles.js';
import { loadSqlMigrations } from '#src/database/sql-migrations.js';

/**
 * Work as the database owner (the `DATABASE_URL` user), never as the runtime role: schema changes,
 * and the few boot-time writes the runtime role is not allowed (settings, the admin bootstrap).
 * All of it holds the migration lock, so instances booting at once take turns.
 */
export class Migrator {
  constructor(
    private readonly ownerUrl: string,
    private readonly migrationsDir: string,
  ) {}

  /** Applies every pending migration; returns the names applied (none when already up to date). */
  async migrate(): Promise<string[]> {
    return this.withOwner(async (dataSource) => {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    });
  }

  /** Reverts every applied migration, newest first, leaving an empty schema. */
  async revertAll(): Promise<number> {
    return this.withOwner(async (dataSource) => {
      let reverted = 0;
      while (await this.hasApplied(dataSource)) {
        await dataSource.undoLastMigration({ transaction: 'each' });
        reverted += 1;
      }
      return reverted;
    });
  }

  /** Stores the boot-time settings the SQL side reads (the signup grant used by the user trigger). */
  async applySettings(settings: { signupCredits: number }): Promise<void> {
    await this.ownerRows(`UPDATE app_settings SET value = $1::text, updated_at = now() WHERE key = 'signup_credits'`, [
      settings.signupCredits,
    ]);
  }

  /** One statement as the owner; answers its rows (RETURNING included). */
  async ownerRows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.withOwner(async (dataSource) => {
      const runner = dataSource.createQueryRunner();
      try {
        return (await runner.query(sql, parameters, true)).records as T[];
      } finally {
        await runner.release();
      }
    });
  }

  private async hasApplied(dataSource: DataSource): Promise<boolean> {
    const [table] = await dataSource.query<{ present: boolean }[]>(
      'SELECT to_regclass($1::text) IS NOT NULL AS present',
      [MIGRATIONS_TABLE],
    );
    if (table?.present !== true) return false;
    const [row] = await dataSource.query<{ applied: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM ${MIGRATIONS_TABLE}) AS applied`,
    );
    return row?.applied === true;
  }

  private async withOwner<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const dataSource = new DataSource({
      type: 'postgres',
      url: this.ownerUrl,
      migrations: loadSqlMigrations(this.migrationsDir),
      migrationsTableName: MIGRATIONS_TABLE,
      extra: { max: 2, application_name: 'creditgate-migrator' },
      logging: false,
    });
    await dataSource.initialize();
    const lock = dataSource.createQueryRunner();
    try {
      await lock.connect();
      await lock.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      return await work(dataSource);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await lock.release();
      await dataSource.destroy();
    }
  }
}
