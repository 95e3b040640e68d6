-- Back to 0010's reservation and schema: keys lose their budgets, model lists, expiry and address
-- ranges, users their spend limits. Usage rows with the two refusal statuses added here would break
-- the older CHECK, so this step fails while any exists rather than rewrite billing history.

DROP FUNCTION admin_set_user_spend_limit(text, uuid, bigint, text, text);
DROP FUNCTION admin_revoke_api_key(text, uuid, uuid, text);
DROP FUNCTION admin_update_api_key(text, uuid, uuid, jsonb, text);
DROP FUNCTION api_key_limits_json(api_keys);
DROP FUNCTION update_api_key(uuid, uuid, jsonb);

-- 0002's reserve_credits, as it was.
CREATE OR REPLACE FUNCTION reserve_credits(p_user_id uuid, p_amount bigint, p_ttl_ms integer, p_api_key_id uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_hold_id uuid;
BEGIN
  IF p_ttl_ms IS NULL OR p_ttl_ms <= 0 THEN
    RAISE EXCEPTION 'ttl must be positive' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT spend_credits_if_enough(p_user_id, p_amount) THEN
    RETURN NULL;
  END IF;
  IF p_api_key_id IS NOT NULL THEN
    UPDATE api_keys
       SET credits_held = credits_held + p_amount, last_used_at = now()
     WHERE id = p_api_key_id AND user_id = p_user_id AND revoked_at IS NULL
       AND (credit_limit IS NULL OR credit_limit - credits_spent - credits_held >= p_amount);
    IF NOT FOUND THEN
      -- Raising undoes the account update above along with everything else in this call.
      IF EXISTS (SELECT 1 FROM api_keys WHERE id = p_api_key_id AND user_id = p_user_id AND revoked_at IS NULL) THEN
        RAISE EXCEPTION 'the API key''s credit limit is reached' USING ERRCODE = 'CG402';
      END IF;
      RAISE EXCEPTION 'the API key is revoked or unknown' USING ERRCODE = 'CG401';
    END IF;
  END IF;
  INSERT INTO credit_holds (user_id, api_key_id, amount, expires_at)
  VALUES (p_user_id, p_api_key_id, p_amount, now() + make_interval(secs => p_ttl_ms / 1000.0))
  RETURNING id INTO v_hold_id;
  RETURN v_hold_id;
END
$$;

-- 0007's reserve_credits_checked, as it was.
DROP FUNCTION reserve_credits_checked(uuid, bigint, integer, uuid, text);
CREATE FUNCTION reserve_credits_checked(p_user_id uuid, p_amount bigint, p_ttl_ms integer, p_api_key_id uuid DEFAULT NULL)
RETURNS TABLE (hold_id uuid, available bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_available bigint;
BEGIN
  SELECT a.balance - a.held INTO v_available FROM credit_accounts a WHERE a.user_id = p_user_id;
  v_available := coalesce(v_available, 0);
  IF v_available < p_amount THEN
    RETURN QUERY SELECT NULL::uuid, v_available;
    RETURN;
  END IF;
  RETURN QUERY SELECT reserve_credits(p_user_id, p_amount, p_ttl_ms, p_api_key_id), v_available;
END
$$;
REVOKE EXECUTE ON FUNCTION reserve_credits_checked(uuid, bigint, integer, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reserve_credits_checked(uuid, bigint, integer, uuid) TO creditgate_app;

DROP FUNCTION place_hold(uuid, bigint, integer, uuid);
DROP FUNCTION user_period_spend(uuid, timestamptz, timestamptz);
DROP FUNCTION api_key_period_spend(uuid, timestamptz, timestamptz);
DROP FUNCTION spend_period_bounds(text, timestamptz);

ALTER TABLE usage_logs DROP CONSTRAINT usage_logs_status_check;
ALTER TABLE usage_logs ADD CONSTRAINT usage_logs_status_check CHECK (status IN (
  'success', 'provider_error', 'timeout', 'empty_response', 'client_closed',
  'insufficient_credits', 'concurrent_spend'));

DROP INDEX credit_holds_api_key_period;

ALTER TABLE users
  DROP CONSTRAINT users_spend_limit_whole,
  DROP COLUMN spend_limit_period,
  DROP COLUMN spend_limit_credits;

ALTER TABLE api_keys
  DROP CONSTRAINT api_keys_budget_whole,
  DROP COLUMN allowed_ips,
  DROP COLUMN expires_at,
  DROP COLUMN models,
  DROP COLUMN budget_period,
  DROP COLUMN budget_credits;
