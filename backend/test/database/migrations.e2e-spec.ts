import { Migrator } from '#src/database/migrator.js';
import { loadSqlMigrations } from '#src/database/sql-migrations.js';
import { createTestDatabase, migrationsDir, type TestDatabase } from '#test/support/test-database.js';

const expectedTables = [
  'access_token_key',
  'api_keys',
  'app_settings',
  'audit_log',
  'channels',
  'credit_accounts',
  'credit_holds',
  'credit_ledger',
  'credit_low_alerts',
  'credit_packages',
  'idempotency_records',
  'model_prices',
  'payment_orders',
  'peak_calendar',
  'redemption_batches',
  'redemption_codes',
  'refresh_tokens',
  'schema_migrations',
  'stripe_events',
  'usage_logs',
  'users',
  'webhook_deliveries',
  'webhook_endpoints',
  'webhook_events',
];

const expectedFunctions = [
  'admin_actor_from_token',
  'admin_add_credits',
  'admin_set_peak_calendar',
  'expire_holds',
  'record_stripe_event',
  'redeem_code',
  'release_hold',
  'reserve_credits',
  'settle_hold',
  'spend_credits_if_enough',
];

describe('migrations', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase({ migrate: false });
  });

  afterEach(async () => {
    await database.drop();
  });

  async function tables(): Promise<string[]> {
    const { rows } = await database
      .pool()
      .query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    return rows.map((row) => row.tablename);
  }

  it('create the whole schema on an empty database, and a second run applies nothing', async () => {
    const migrator = new Migrator(database.url, migrationsDir);
    const shipped = loadSqlMigrations(migrationsDir).map((Migration) => new Migration().name);

    expect(await migrator.migrate()).toEqual(shipped);
    expect(await tables()).toEqual(expectedTables);
    const { rows } = await database
      .pool()
      .query<{ proname: string }>(
        `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname = ANY($1::text[]) ORDER BY proname`,
        [expectedFunctions],
      );
    expect(rows.map((row) => row.proname)).toEqual(expectedFunctions);

    expect(await migrator.migrate()).toEqual([]);
    const { rows: applied } = await database.pool().query('SELECT name FROM schema_migrations');
    expect(applied).toHaveLength(shipped.length);
  });

  it('revert to an empty schema with their down steps and apply again', async () => {
    const migrator = new Migrator(database.url, migrationsDir);
    await migrator.migrate();

    expect(await migrator.revertAll()).toBe(loadSqlMigrations(migrationsDir).length);
    expect(await tables()).toEqual(['schema_migrations']);

    await migrator.migrate();
    expect(await tables()).toEqual(expectedTables);
  });

  it('serialise when several instances migrate at once', async () => {
    const migrators = [1, 2, 3].map(() => new Migrator(database.url, migrationsDir));
    const results = await Promise.all(migrators.map((migrator) => migrator.migrate()));

    const appliedByAnyone = results.flat();
    expect(appliedByAnyone).toHaveLength(loadSqlMigrations(migrationsDir).length);
    expect(new Set(appliedByAnyone).size).toBe(appliedByAnyone.length);
  });
});
