-- Admin changes that are not credit movements. Like admin_add_credits, each checks the acting user's
-- role itself (a bypassed route guard changes nothing) and writes who, what and why to audit_log.

CREATE FUNCTION assert_admin(p_actor_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_actor_id AND role = 'admin' AND NOT disabled) THEN
    RAISE EXCEPTION 'only an admin can do this' USING ERRCODE = 'insufficient_privilege';
  END IF;
END
$$;

-- Changes a user's role and/or disabled flag (NULL = unchanged). The last enabled admin can be
-- neither demoted nor disabled (CG423), so the product can always be administered. Raises
-- no_data_found for an unknown user. Answers the user's role and flag afterwards.
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
  -- Serialises concurrent demotions: two admins demoting each other cannot both pass the check below.
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

-- Sets a model's price and availability; a new model gets a row (provider deepseek). Audited with
-- the old and new values. The CHECKs of model_prices still apply (no free model, no negative rate).
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

REVOKE EXECUTE ON FUNCTION assert_admin(uuid), admin_set_user_access(uuid, uuid, text, boolean, text),
  admin_set_model_price(uuid, text, boolean, bigint, numeric, numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION admin_set_user_access(uuid, uuid, text, boolean, text),
  admin_set_model_price(uuid, text, boolean, bigint, numeric, numeric, text) TO creditgate_app;
