-- One database call per step of a billed chat. The gateway used to send nine statements per chat
-- (a quick balance read; the reservation; BEGIN, settle, usage row, balance read, COMMIT); these
-- functions do the same work under the same guarantees in two calls, each its own short transaction
-- (docs/benchmarks.md). The functions of 0002 stay: these call them.

-- The quick read (SPEC §3 step 2) and the reservation (step 3) in one call. `hold_id` NULL with
-- `available` < amount: too few credits (403). NULL with `available` >= amount: the read said enough
-- but a concurrent spend took the credits before the guarded UPDATE (409).
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

-- settle_hold and the attempt's usage row, committed together; answers what the user can spend now.
-- The usage row's user and API key are the hold's own. Raises CG409 (nothing written) when the hold
-- is no longer open.
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

-- release_hold and the attempt's usage row (0 credits), committed together. A hold that is no longer
-- open (the sweeper expired it) is left as it is; the attempt is still logged.
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
  reserve_credits_checked(uuid, bigint, integer, uuid),
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  reserve_credits_checked(uuid, bigint, integer, uuid),
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text)
TO creditgate_app;
