import { escapeLiteral } from 'pg';
import { DataSource } from 'typeorm';
import { DatabaseRole, MIGRATION_LOCK_KEY, MIGRATIONS_TABLE } from '#src/database/database-roles.js';
import { scramVerifier } from '#src/database/runtime-login.js';
import { loadSqlMigrations } from '#src/database/sql-migrations.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';

/** What the owner stores at every boot, from the environment. */
export interface BootSettings {
  /** The signup grant the user trigger reads (app_settings). */
  signupCredits: number;
  /** Available credits under which a charge raises credits.low (app_settings). */
  lowCreditsThreshold: number;
  /** JWT_SECRET: the admin functions verify access tokens with it (access_token_key, owner-only). */
  accessTokenSecret: string;
  /** The password the runtime role logs in with (runtime-login.ts). */
  runtimePassword: string;
}

/**
 * Work as the database owner (the `DATABASE_URL` user), never as the runtime role: schema changes,
 * and the few boot-time writes the runtime role is not allowed (settings, the access-token key, the
 * runtime role's password, the admin bootstrap).
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

  /** Stores what the SQL side reads, and sets the runtime role's password; one owner connection. */
  async applySettings(settings: BootSettings): Promise<void> {
    await this.withOwner(async (dataSource) => {
      await dataSource.query(
        `UPDATE app_settings SET value = $1::text, updated_at = now() WHERE key = 'signup_credits'`,
        [settings.signupCredits],
      );
      await dataSource.query(
        `UPDATE app_settings SET value = $1::text, updated_at = now() WHERE key = 'low_credits_threshold'`,
        [settings.lowCreditsThreshold],
      );
      await dataSource.query(
        `INSERT INTO access_token_key (secret) VALUES ($1::bytea)
         ON CONFLICT (singleton) DO UPDATE SET secret = EXCLUDED.secret, updated_at = now()
          WHERE access_token_key.secret <> EXCLUDED.secret`,
        [Buffer.from(settings.accessTokenSecret, 'utf8')],
      );
      await this.setRuntimePassword(dataSource, settings.runtimePassword);
    });
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

  /**
   * ALTER ROLE is a utility statement and takes no bind parameters, hence the escaped literal. The
   * role is cluster-wide: instances booting on other databases of the cluster do not hold this
   * database's migration lock and may set the same password at the same moment, which PostgreSQL
   * refuses with XX000; the failed statement has waited for the other to commit, so trying again
   * succeeds.
   */
  private async setRuntimePassword(dataSource: DataSource, password: string): Promise<void> {
    const statement = `ALTER ROLE ${DatabaseRole.Runtime} PASSWORD ${escapeLiteral(scramVerifier(password))}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await dataSource.query(statement);
        return;
      } catch (error) {
        if (sqlStateOf(error) === SqlState.InsufficientPrivilege) {
          throw new Error(
            `The DATABASE_URL user may not set ${DatabaseRole.Runtime}'s password: it must be a superuser, or have ` +
              `CREATEROLE and ADMIN OPTION on ${DatabaseRole.Runtime} (docs/database.md)`,
            { cause: error },
          );
        }
        if (sqlStateOf(error) !== SqlState.InternalError || attempt === 5) throw error;
      }
    }
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
