DO $$
DECLARE
  v_table text;
BEGIN
  FOREACH v_table IN ARRAY ARRAY['users', 'credit_accounts', 'credit_holds', 'credit_ledger', 'usage_logs', 'api_keys',
                                 'refresh_tokens', 'idempotency_records']
  LOOP
    EXECUTE format('DROP POLICY IF EXISTS runtime_all ON %I', v_table);
    EXECUTE format('DROP POLICY IF EXISTS own_rows ON %I', v_table);
    EXECUTE format('DROP POLICY IF EXISTS own_row ON %I', v_table);
    EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', v_table);
  END LOOP;
END
$$;
DROP FUNCTION app_current_user_id();
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM creditgate_app, creditgate_user;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM creditgate_app, creditgate_user;
