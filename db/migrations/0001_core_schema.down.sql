DROP TABLE audit_log, model_prices, idempotency_records, refresh_tokens, usage_logs, credit_ledger,
  credit_holds, api_keys, credit_accounts, users, app_settings;
DROP FUNCTION forbid_change_of_append_only();
-- The roles are cluster-wide and may still serve other databases; they are dropped only when unused.
DO $$
BEGIN
  DROP ROLE IF EXISTS creditgate_user;
  DROP ROLE IF EXISTS creditgate_app;
EXCEPTION WHEN dependent_objects_still_exist THEN
  NULL;
END
$$;
