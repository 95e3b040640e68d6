-- Back to 0007: the admin functions of 0002 and 0006 (actor ids), the grants of 0003.
--
-- Left as they are, on purpose: creditgate_app's LOGIN, password and membership of creditgate_user
-- are cluster-wide, and other databases of the cluster may be running on them (0001's down drops
-- the roles once nothing uses them); they give a 0007 backend, which logs in as the owner, nothing
-- it did not have. pgcrypto stays too: it may have been there before 0008, and costs nothing.

DROP TRIGGER refresh_tokens_revocation_is_final ON refresh_tokens;
DROP TRIGGER api_keys_revocation_is_final ON api_keys;
DROP FUNCTION forbid_undoing_revocation();

REVOKE INSERT (user_id, name, prefix, secret_hash, credit_limit) ON api_keys FROM creditgate_app;
GRANT INSERT ON api_keys TO creditgate_app;
REVOKE INSERT (email, password_hash) ON users FROM creditgate_app;
GRANT INSERT ON users TO creditgate_app;
GRANT UPDATE (password_hash, updated_at) ON users TO creditgate_app;

DROP FUNCTION admin_set_model_price(text, text, boolean, bigint, numeric, numeric, text);
DROP FUNCTION admin_set_user_access(text, uuid, text, boolean, text);
DROP FUNCTION admin_add_credits(text, uuid, bigint, text, text);
DROP FUNCTION admin_actor_from_token(text);
DROP TABLE access_token_key;

-- As 0002 created it.
CREATE FUNCTION admin_add_credits(
  p_actor_id uuid, p_user_id uuid, p_amount bigint, p_reason text, p_idempotency_key text DEFAULT NULL)
RETURNS TABLE (ledger_entry_id bigint, balance bigint, replayed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_existing credit_ledger;
  v_balance bigint;
  v_ledger_id bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_actor_id AND role = 'admin' AND NOT disabled) THEN
    RAISE EXCEPTION 'only an admin can add credits' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_amount IS NULL OR p_amount < 1 OR p_amount > 1000000 THEN
    RAISE EXCEPTION 'amount must be an integer from 1 to 1,000,000' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_reason IS NULL OR length(btrim(p_reason)) = 0 OR length(p_reason) > 500 THEN
    RAISE EXCEPTION 'a reason of 1 to 500 characters is required' USING ERRCODE = 'invalid_parameter_value';
  END IF;

  LOOP
    IF p_idempotency_key IS NOT NULL THEN
      SELECT * INTO v_existing FROM credit_ledger l
       WHERE l.actor_id = p_actor_id AND l.idempotency_key = p_idempotency_key;
      IF FOUND THEN
        IF v_existing.user_id <> p_user_id OR v_existing.amount <> p_amount THEN
          RAISE EXCEPTION 'idempotency key already used for another recharge' USING ERRCODE = 'CG422';
        END IF;
        RETURN QUERY SELECT v_existing.id, a.balance, true FROM credit_accounts a WHERE a.user_id = p_user_id;
        RETURN;
      END IF;
    END IF;
    BEGIN
      UPDATE credit_accounts a SET balance = a.balance + p_amount, updated_at = now()
       WHERE a.user_id = p_user_id
      RETURNING a.balance INTO v_balance;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'user % does not exist', p_user_id USING ERRCODE = 'no_data_found';
      END IF;
      INSERT INTO credit_ledger (user_id, kind, amount, balance_after, reason, actor_id, idempotency_key)
      VALUES (p_user_id, 'recharge', p_amount, v_balance, btrim(p_reason), p_actor_id, p_idempotency_key)
      RETURNING id INTO v_ledger_id;
      RETURN QUERY SELECT v_ledger_id, v_balance, false;
      RETURN;
    EXCEPTION WHEN unique_violation THEN
      -- A concurrent call with the same key committed first; this one's update was rolled back.
      -- Loop once more to return that recharge.
      NULL;
    END;
  END LOOP;
END
$$;

-- As 0006 created them.
CREATE FUNCTION assert_admin(p_actor_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_actor_id AND role = 'admin' AND NOT disabled) THEN
    RAISE EXCEPTION 'only an admin can do this' USING ERRCODE = 'insufficient_privilege';
  END IF;
END
$$;

CREATE FUNCTION admin_set_user_access(p_actor_id uuid, p_user_id uuid, p_role text, p_disabled boolean, p_reason text)
RETURNS TABLE (role text, disabled boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_before users;
  v_after users;
BEGIN
  PERFORM assert_admin(p_actor_id);
  IF p_role IS NOT NULL AND p_role NOT IN ('user', 'admin') THEN
    RAISE EXCEPTION 'role must be user or admin' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(7461923002);
  SELECT * INTO v_before FROM users u WHERE u.id = p_user_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'user % does not exist', p_user_id USING ERRCODE = 'no_data_found';
  END IF;
  UPDATE users u
     SET role = coalesce(p_role, u.role), disabled = coalesce(p_disabled, u.disabled), updated_at = now()
   WHERE u.id = p_user_id
  RETURNING * INTO v_after;
  IF NOT EXISTS (SELECT 1 FROM users u WHERE u.role = 'admin' AND NOT u.disabled) THEN
    RAISE EXCEPTION 'the last enabled admin cannot be demoted or disabled' USING ERRCODE = 'CG423';
  END IF;
  IF v_before.role IS DISTINCT FROM v_after.role OR v_before.disabled IS DISTINCT FROM v_after.disabled THEN
    INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
    VALUES (p_actor_id, 'user.access_changed', 'user', p_user_id::text,
            jsonb_build_object('before', jsonb_build_object('role', v_before.role, 'disabled', v_before.disabled),
                               'after', jsonb_build_object('role', v_after.role, 'disabled', v_after.disabled)),
            nullif(btrim(coalesce(p_reason, '')), ''));
  END IF;
  RETURN QUERY SELECT v_after.role, v_after.disabled;
END
$$;

CREATE FUNCTION admin_set_model_price(
  p_actor_id uuid, p_model text, p_enabled boolean, p_request_credits bigint,
  p_input_per_1k numeric, p_output_per_1k numeric, p_reason text)
RETURNS SETOF model_prices
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_before model_prices;
  v_after model_prices;
BEGIN
  PERFORM assert_admin(p_actor_id);
  SELECT * INTO v_before FROM model_prices WHERE model = p_model FOR UPDATE;
  IF FOUND THEN
    UPDATE model_prices
       SET enabled = p_enabled, request_credits = p_request_credits, input_credits_per_1k = p_input_per_1k,
           output_credits_per_1k = p_output_per_1k, updated_at = now(), updated_by = p_actor_id
     WHERE model = p_model
    RETURNING * INTO v_after;
  ELSE
    INSERT INTO model_prices (model, provider, display_name, enabled, request_credits, input_credits_per_1k,
                              output_credits_per_1k, max_output_tokens, context_tokens, updated_by)
    VALUES (p_model, 'deepseek', p_model, p_enabled, p_request_credits, p_input_per_1k, p_output_per_1k,
            8192, 131072, p_actor_id)
    RETURNING * INTO v_after;
  END IF;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
  VALUES (p_actor_id, 'model.price_changed', 'model', p_model,
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

REVOKE EXECUTE ON FUNCTION admin_add_credits(uuid, uuid, bigint, text, text), assert_admin(uuid),
  admin_set_user_access(uuid, uuid, text, boolean, text),
  admin_set_model_price(uuid, text, boolean, bigint, numeric, numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION admin_add_credits(uuid, uuid, bigint, text, text),
  admin_set_user_access(uuid, uuid, text, boolean, text),
  admin_set_model_price(uuid, text, boolean, bigint, numeric, numeric, text) TO creditgate_app;
