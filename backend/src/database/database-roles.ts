/**
 * PostgreSQL roles created by the migrations. The backend's pool logs in as `Runtime`, which can
 * change balances only through the credit functions and is neither a superuser nor able to become
 * one or the owner (runtime-login.ts); user-scoped reads switch to `UserScoped`, whose row-level
 * security shows a session only its own user's rows. Migrations and boot tasks run as the owner,
 * the `DATABASE_URL` user.
 */
export const DatabaseRole = {
  Runtime: 'creditgate_app',
  UserScoped: 'creditgate_user',
} as const;

export const MIGRATIONS_TABLE = 'schema_migrations';

// CreditGate's advisory-lock keys, all of them here so that no two uses ever share one.

/** Held while migrating and during the owner's boot tasks, so instances booting at once take turns. */
export const MIGRATION_LOCK_KEY = 7_461_923_001;

/**
 * Held by `admin_set_user_access` (db/migrations/0008, as `c_access_change_lock`) until its
 * transaction ends: changes of role or disabled flag run one at a time, so two admins demoting each
 * other cannot both pass the last-admin check. Only that SQL function takes it.
 */
export const ADMIN_ACCESS_LOCK_KEY = 7_461_923_002;
