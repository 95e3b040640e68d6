-- Back to 0010: channels and their functions go; usage rows lose the channel and attempt count;
-- settle and release take 0010's arguments again.

DROP FUNCTION settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                                 integer, integer, integer, boolean, text, integer);
DROP FUNCTION release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean,
                                  text, integer);
DROP FUNCTION ensure_built_in_channel(uuid, text, text);
DROP FUNCTION disable_channel_after_refusal(uuid, text);
DROP FUNCTION admin_delete_channel(text, uuid);
DROP FUNCTION admin_update_channel(text, uuid, text, text, text, text, text[], jsonb, integer, integer, boolean);
DROP FUNCTION admin_create_channel(text, uuid, text, text, text, text, text, text[], jsonb, integer, integer, boolean);
DROP FUNCTION channel_audit_view(channels);
DROP TABLE channels;
ALTER TABLE usage_logs DROP COLUMN channel, DROP COLUMN attempts;

-- Settle with the token breakdown and the price tier of the attempt (0009's function plus four fields).
CREATE FUNCTION settle_hold_logged(
  p_hold_id uuid, p_charge bigint, p_reason text,
  p_request_id text, p_endpoint text, p_model text, p_status text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text, p_error_code text DEFAULT NULL,
  p_cache_hit_tokens integer DEFAULT 0, p_cache_miss_tokens integer DEFAULT 0, p_reasoning_tokens integer DEFAULT 0,
  p_peak boolean DEFAULT NULL)
RETURNS TABLE (usage_id uuid, charged bigint, available bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_ledger_id bigint;
  v_charged bigint;
  v_hold credit_holds;
  v_usage_id uuid;
BEGIN
  SELECT * INTO v_hold FROM credit_holds WHERE id = p_hold_id FOR UPDATE;
  IF FOUND AND v_hold.status = 'settled' THEN
    -- A retried settle whose first call committed: answer that settlement, change nothing.
    RETURN QUERY
      SELECT u.id, u.credits_charged, a.balance - a.held
        FROM usage_logs u JOIN credit_accounts a ON a.user_id = u.user_id
       WHERE u.hold_id = p_hold_id;
    RETURN;
  END IF;
  SELECT s.ledger_entry_id, s.charged INTO v_ledger_id, v_charged FROM settle_hold(p_hold_id, p_charge, p_reason) s;
  INSERT INTO usage_logs (user_id, api_key_id, hold_id, ledger_entry_id, request_id, endpoint, model, status,
                          error_code, credits_charged, prompt_tokens, completion_tokens, latency_ms, prompt_chars,
                          prompt_preview, cache_hit_tokens, cache_miss_tokens, reasoning_tokens, peak)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, v_ledger_id, p_request_id, p_endpoint, p_model, p_status,
          p_error_code, v_charged, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview,
          p_cache_hit_tokens, p_cache_miss_tokens, p_reasoning_tokens, p_peak)
  RETURNING id INTO v_usage_id;
  RETURN QUERY
    SELECT v_usage_id, v_charged, a.balance - a.held FROM credit_accounts a WHERE a.user_id = v_hold.user_id;
END
$$;

-- Release with the price tier of the attempt (0007's function plus one field).
CREATE FUNCTION release_hold_logged(
  p_hold_id uuid,
  p_request_id text, p_endpoint text, p_model text, p_status text, p_error_code text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text, p_peak boolean DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_hold credit_holds;
  v_usage_id uuid;
BEGIN
  PERFORM release_hold(p_hold_id);
  SELECT * INTO v_hold FROM credit_holds WHERE id = p_hold_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'hold % does not exist', p_hold_id USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO usage_logs (user_id, api_key_id, hold_id, request_id, endpoint, model, status, error_code,
                          credits_charged, prompt_tokens, completion_tokens, latency_ms, prompt_chars, prompt_preview,
                          peak)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, p_request_id, p_endpoint, p_model, p_status, p_error_code,
          0, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview, p_peak)
  RETURNING id INTO v_usage_id;
  RETURN v_usage_id;
END
$$;

REVOKE EXECUTE ON FUNCTION
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                     integer, integer, integer, boolean),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                     integer, integer, integer, boolean),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean)
TO creditgate_app;
