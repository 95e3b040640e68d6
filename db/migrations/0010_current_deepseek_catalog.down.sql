-- Back to the catalog and functions of 0009: the new models, the calendar and the new columns go;
-- the retired names get their 0004 prices back (DeepSeek-V3.2's), and with them a model that no longer
-- exists upstream. Usage rows keep their totals; their token breakdown and price tier are dropped.

DROP FUNCTION admin_set_peak_calendar(text, text, smallint[], jsonb, date[], text);
DROP FUNCTION admin_set_model_price(text, text, boolean, bigint, numeric, numeric, numeric, integer, integer, text);
CREATE FUNCTION admin_set_model_price(
  p_actor_token text, p_model text, p_enabled boolean, p_request_credits bigint,
  p_input_per_1k numeric, p_output_per_1k numeric, p_reason text)
RETURNS SETOF model_prices
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_before model_prices;
  v_after model_prices;
BEGIN
  SELECT * INTO v_before FROM model_prices WHERE model = p_model FOR UPDATE;
  IF FOUND THEN
    UPDATE model_prices
       SET enabled = p_enabled, request_credits = p_request_credits, input_credits_per_1k = p_input_per_1k,
           output_credits_per_1k = p_output_per_1k, updated_at = now(), updated_by = v_actor_id
     WHERE model = p_model
    RETURNING * INTO v_after;
  ELSE
    INSERT INTO model_prices (model, provider, display_name, enabled, request_credits, input_credits_per_1k,
                              output_credits_per_1k, max_output_tokens, context_tokens, updated_by)
    VALUES (p_model, 'deepseek', p_model, p_enabled, p_request_credits, p_input_per_1k, p_output_per_1k,
            8192, 131072, v_actor_id)
    RETURNING * INTO v_after;
  END IF;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
  VALUES (v_actor_id, 'model.price_changed', 'model', p_model,
          jsonb_build_object(
            'before', CASE WHEN v_before.model IS NULL THEN NULL ELSE jsonb_build_object(
              'enabled', v_before.enabled, 'requestCredits', v_before.request_credits,
              'inputCreditsPer1k', v_before.input_credits_per_1k, 'outputCreditsPer1k', v_before.output_credits_per_1k) END,
            'after', jsonb_build_object(
              'enabled', v_after.enabled, 'requestCredits', v_after.request_credits,
              'inputCreditsPer1k', v_after.input_credits_per_1k, 'outputCreditsPer1k', v_after.output_credits_per_1k)),
          nullif(btrim(coalesce(p_reason, '')), ''));
  RETURN NEXT v_after;
END
$$;

DROP FUNCTION settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                                 integer, integer, integer, boolean);
CREATE FUNCTION settle_hold_logged(
  p_hold_id uuid, p_charge bigint, p_reason text,
  p_request_id text, p_endpoint text, p_model text, p_status text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text, p_error_code text DEFAULT NULL)
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
                          prompt_preview)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, v_ledger_id, p_request_id, p_endpoint, p_model, p_status,
          p_error_code, v_charged, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview)
  RETURNING id INTO v_usage_id;
  RETURN QUERY
    SELECT v_usage_id, v_charged, a.balance - a.held FROM credit_accounts a WHERE a.user_id = v_hold.user_id;
END
$$;

DROP FUNCTION release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean);
CREATE FUNCTION release_hold_logged(
  p_hold_id uuid,
  p_request_id text, p_endpoint text, p_model text, p_status text, p_error_code text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text)
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
                          credits_charged, prompt_tokens, completion_tokens, latency_ms, prompt_chars, prompt_preview)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, p_request_id, p_endpoint, p_model, p_status, p_error_code,
          0, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview)
  RETURNING id INTO v_usage_id;
  RETURN v_usage_id;
END
$$;

REVOKE EXECUTE ON FUNCTION
  admin_set_model_price(text, text, boolean, bigint, numeric, numeric, text),
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  admin_set_model_price(text, text, boolean, bigint, numeric, numeric, text),
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text)
TO creditgate_app;

ALTER TABLE usage_logs DROP COLUMN cache_hit_tokens, DROP COLUMN cache_miss_tokens, DROP COLUMN reasoning_tokens,
  DROP COLUMN peak;
DROP TABLE peak_calendar;

DELETE FROM model_prices WHERE model IN ('deepseek-flash', 'deepseek-v4-pro');
UPDATE model_prices
   SET display_name = CASE model WHEN 'deepseek-chat' THEN 'DeepSeek-V3.2 (chat)' ELSE 'DeepSeek-V3.2 (reasoning)' END,
       request_credits = 1, input_credits_per_1k = 2.8, output_credits_per_1k = 4.2,
       max_output_tokens = CASE model WHEN 'deepseek-chat' THEN 8192 ELSE 65536 END, context_tokens = 131072
 WHERE model IN ('deepseek-chat', 'deepseek-reasoner');
ALTER TABLE model_prices DROP CONSTRAINT model_prices_default_output_within_max;
ALTER TABLE model_prices DROP COLUMN upstream_model, DROP COLUMN request_fields, DROP COLUMN default_output_tokens,
  DROP COLUMN reads_images, DROP COLUMN cached_input_credits_per_1k, DROP COLUMN off_peak_percent;
