-- What the runtime role may do. It reads freely, writes only the tables that carry no money, and
-- changes credits only through the functions of migration 0002: it has no UPDATE on credit_accounts,
-- credit_holds or credit_ledger, so a direct UPDATE of a balance is refused.

-- Functions are executable by PUBLIC by default; here nothing is, unless granted below.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;

GRANT SELECT ON app_settings, model_prices, schema_migrations TO creditgate_app;
GRANT SELECT, INSERT ON users TO creditgate_app;
GRANT UPDATE (password_hash, updated_at) ON users TO creditgate_app;
GRANT SELECT ON credit_accounts, credit_holds, credit_ledger TO creditgate_app;
GRANT SELECT, INSERT ON usage_logs, audit_log TO creditgate_app;
GRANT SELECT, INSERT ON api_keys TO creditgate_app;
GRANT UPDATE (name, last_used_at, revoked_at) ON api_keys TO creditgate_app;
GRANT SELECT, INSERT, DELETE ON refresh_tokens TO creditgate_app;
GRANT UPDATE (rotated_at, revoked_at) ON refresh_tokens TO creditgate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_records TO creditgate_app;

GRANT EXECUTE ON FUNCTION
  reserve_credits(uuid, bigint, integer, uuid),
  settle_hold(uuid, bigint, text),
  release_hold(uuid),
  expire_holds(integer),
  admin_add_credits(uuid, uuid, bigint, text, text)
TO creditgate_app;

-- The user-scoped role reads, and only reads, the tables that hold a user's own records.
GRANT SELECT ON model_prices TO creditgate_user;
GRANT SELECT (id, email, role, disabled, created_at, updated_at) ON users TO creditgate_user;
GRANT SELECT ON credit_accounts, credit_holds, credit_ledger, usage_logs TO creditgate_user;
GRANT SELECT (id, user_id, name, prefix, credit_limit, credits_spent, credits_held, last_used_at, created_at, revoked_at)
  ON api_keys TO creditgate_user;

-- The user a session acts for, set per transaction by the backend (SET LOCAL app.user_id).
CREATE FUNCTION app_current_user_id() RETURNS uuid
LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.user_id', true), '')::uuid
$$;
GRANT EXECUTE ON FUNCTION app_current_user_id() TO creditgate_app, creditgate_user;

-- Row-level security: the runtime role sees every row (it serves all users and the admin pages);
-- the user-scoped role sees only the rows of app.user_id, so a query that forgets its WHERE clause
-- still cannot show one user another's records. The owner (migrations, SQL functions) is exempt.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY runtime_all ON users TO creditgate_app USING (true) WITH CHECK (true);
CREATE POLICY own_row ON users FOR SELECT TO creditgate_user USING (id = app_current_user_id());

DO $$
DECLARE
  v_table text;
BEGIN
  FOREACH v_table IN ARRAY ARRAY['credit_accounts', 'credit_holds', 'credit_ledger', 'usage_logs', 'api_keys',
                                 'refresh_tokens', 'idempotency_records']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', v_table);
    EXECUTE format('CREATE POLICY runtime_all ON %I TO creditgate_app USING (true) WITH CHECK (true)', v_table);
    EXECUTE format('CREATE POLICY own_rows ON %I FOR SELECT TO creditgate_user USING (user_id = app_current_user_id())',
                   v_table);
  END LOOP;
END
$$;
