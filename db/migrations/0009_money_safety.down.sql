-- Back to 0007's settle_hold_logged, 0005's constraint and a jsonb answer. Rows that 0009 allowed and
-- the older schema cannot hold (charged timeouts and provider errors; answers jsonb refuses) would
-- make this step fail: it refuses to run rather than rewrite billing history.

DROP FUNCTION settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text);
CREATE FUNCTION settle_hold_logged(
  p_hold_id uuid, p_charge bigint, p_reason text,
  p_request_id text, p_endpoint text, p_model text, p_status text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text)
RETURNS TABLE (usage_id uuid, charged bigint, available bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_ledger_id bigint;
  v_charged bigint;
  v_hold credit_holds;
  v_usage_id uuid;
BEGIN
  SELECT s.ledger_entry_id, s.charged INTO v_ledger_id, v_charged FROM settle_hold(p_hold_id, p_charge, p_reason) s;
  SELECT * INTO v_hold FROM credit_holds WHERE id = p_hold_id;
  INSERT INTO usage_logs (user_id, api_key_id, hold_id, ledger_entry_id, request_id, endpoint, model, status,
                          credits_charged, prompt_tokens, completion_tokens, latency_ms, prompt_chars, prompt_preview)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, v_ledger_id, p_request_id, p_endpoint, p_model, p_status,
          v_charged, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview)
  RETURNING id INTO v_usage_id;
  RETURN QUERY
    SELECT v_usage_id, v_charged, a.balance - a.held FROM credit_accounts a WHERE a.user_id = v_hold.user_id;
END
$$;

REVOKE EXECUTE ON FUNCTION
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text)
TO creditgate_app;

ALTER TABLE usage_logs DROP CONSTRAINT usage_logs_charged_only_for_delivered_content;
ALTER TABLE usage_logs ADD CONSTRAINT usage_logs_charged_only_for_delivered_answers
  CHECK (status IN ('success', 'client_closed') OR credits_charged = 0);

ALTER TABLE idempotency_records ALTER COLUMN response_body TYPE jsonb USING response_body::jsonb;
