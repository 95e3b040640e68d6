/**
 * PostgreSQL roles created by the migrations. The backend's pool runs as `RuntimeRole`, which can
 * change balances only through the credit functions; user-scoped reads switch to `UserScopedRole`,
 * whose row-level security shows a session only its own user's rows.
 */
export const DatabaseRole = {
  Runtime: 'creditgate_app',
  UserScoped: 'creditgate_user',
} as const;

export const MIGRATIONS_TABLE = 'schema_migrations';

/** Held while migrating, so several instances booting at once migrate one after another. */
export const MIGRATION_LOCK_KEY = 7_461_923_001;
