-- Money safety (issue 13). Three changes, each so that an answer that was delivered is charged once
-- and the record of that charge is never lost:
--
-- 1. A stored idempotent answer is kept as the JSON text the backend wrote, not as jsonb: jsonb
--    refuses "\u0000" and lone surrogates, which any answer may contain, and the refusal used to come
--    after the charge. The text round-trips byte for byte.
-- 2. Any streamed answer that reached the client before it broke (the upstream stopped, was cut by a
--    deadline, or finished with content_filter), and the streamed reasoning of an answer that came
--    back empty, is charged for the delivered part, as a client disconnect already was (0005). The
--    usage row keeps the status that says how the stream ended.
-- 3. settle_hold_logged answers the same settlement again for a hold it already settled, so that
--    the backend can retry a settle whose commit it did not hear about without charging twice or
--    taking the charge for a lost hold; and it records the error code of a charged broken stream.

ALTER TABLE idempotency_records ALTER COLUMN response_body TYPE text USING response_body::text;

ALTER TABLE usage_logs DROP CONSTRAINT usage_logs_charged_only_for_delivered_answers;
ALTER TABLE usage_logs ADD CONSTRAINT usage_logs_charged_only_for_delivered_content
  CHECK (status IN ('success', 'client_closed', 'timeout', 'provider_error', 'empty_response') OR credits_charged = 0);

DROP FUNCTION settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text);
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

REVOKE EXECUTE ON FUNCTION
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text)
TO creditgate_app;
