-- Spend controls (issue 17, docs/limits.md). An API key gains a budget per UTC calendar period, a list
-- of the models it may call, an expiry and the client addresses it may be used from; a user gains a
-- spend limit per period that an admin sets. The budget, the spend limit and the model list are
-- checked inside the call that reserves the hold, under the lock of the user's credit account, so
-- however many requests race, a period's spend never passes a limit (LiteLLM's budgets are checked
-- apart from the spend and are overshot by concurrent requests).
--
-- What a period has spent is read from the holds made in it: an open hold counts its whole amount, a
-- settled one what it charged, a released or expired one nothing. Settle and release therefore change
-- the period's spend the way they change the balance, and need no change here.

-- 1. The limits.
ALTER TABLE api_keys
  ADD COLUMN budget_credits bigint CHECK (budget_credits BETWEEN 1 AND 1000000000),
  ADD COLUMN budget_period text CHECK (budget_period IN ('day', 'week', 'month')),
  -- Public model ids; a listed id also admits the aliases that call it (model_prices.upstream_model).
  ADD COLUMN models text[] CHECK (cardinality(models) BETWEEN 1 AND 100 AND array_position(models, NULL) IS NULL),
  ADD COLUMN expires_at timestamptz,
  -- IPv4 and IPv6 addresses and CIDR ranges, as the backend validated them; matched by the backend.
  ADD COLUMN allowed_ips text[] CHECK (cardinality(allowed_ips) BETWEEN 1 AND 100
                                       AND array_position(allowed_ips, NULL) IS NULL),
  ADD CONSTRAINT api_keys_budget_whole CHECK ((budget_credits IS NULL) = (budget_period IS NULL));

ALTER TABLE users
  ADD COLUMN spend_limit_credits bigint CHECK (spend_limit_credits BETWEEN 1 AND 1000000000),
  ADD COLUMN spend_limit_period text CHECK (spend_limit_period IN ('day', 'week', 'month')),
  ADD CONSTRAINT users_spend_limit_whole CHECK ((spend_limit_credits IS NULL) = (spend_limit_period IS NULL));

-- A period's spend is a sum over the holds made in it, an index range scan: a key's by this index, a
-- user's by credit_holds_user (0001).
CREATE INDEX credit_holds_api_key_period ON credit_holds (api_key_id, created_at) WHERE api_key_id IS NOT NULL;

-- Refused attempts are logged like the others: a budget spent, a model the key may not call.
ALTER TABLE usage_logs DROP CONSTRAINT usage_logs_status_check;
ALTER TABLE usage_logs ADD CONSTRAINT usage_logs_status_check CHECK (status IN (
  'success', 'provider_error', 'timeout', 'empty_response', 'client_closed',
  'insufficient_credits', 'concurrent_spend', 'budget_exceeded', 'model_not_allowed'));

-- 2. The period of a timestamp: UTC calendar days, ISO weeks (from Monday 00:00 UTC) and months.
-- The one definition of a period, used by the reserve check and by every view of a period's spend,
-- and a function of the timestamp so that a rollover can be tested without waiting for midnight.
CREATE FUNCTION spend_period_bounds(p_period text, p_at timestamptz)
RETURNS TABLE (period_start timestamptz, period_end timestamptz)
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
DECLARE
  v_local_start timestamp;
BEGIN
  IF p_period IS NULL OR p_period NOT IN ('day', 'week', 'month') THEN
    RAISE EXCEPTION 'period must be day, week or month' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- date_trunc on the UTC wall-clock time: 'week' truncates to the ISO week's Monday.
  v_local_start := date_trunc(p_period, p_at AT TIME ZONE 'UTC');
  period_start := v_local_start AT TIME ZONE 'UTC';
  period_end := (v_local_start + make_interval(days => CASE p_period WHEN 'day' THEN 1 WHEN 'week' THEN 7 ELSE 0 END,
                                               months => CASE p_period WHEN 'month' THEN 1 ELSE 0 END))
                AT TIME ZONE 'UTC';
  RETURN NEXT;
END
$$;

-- What a key, or a user across all its keys and its logins, spent in [p_from, p_to): charged plus held.
CREATE FUNCTION api_key_period_spend(p_api_key_id uuid, p_from timestamptz, p_to timestamptz) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(sum(CASE h.status WHEN 'open' THEN h.amount WHEN 'settled' THEN h.charged ELSE 0 END), 0)::bigint
    FROM credit_holds h
   WHERE h.api_key_id = p_api_key_id AND h.created_at >= p_from AND h.created_at < p_to
$$;

CREATE FUNCTION user_period_spend(p_user_id uuid, p_from timestamptz, p_to timestamptz) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(sum(CASE h.status WHEN 'open' THEN h.amount WHEN 'settled' THEN h.charged ELSE 0 END), 0)::bigint
    FROM credit_holds h
   WHERE h.user_id = p_user_id AND h.created_at >= p_from AND h.created_at < p_to
$$;

-- 3. The reservation. The writes of 0002's reserve_credits move here unchanged (the guarded UPDATE of
-- the account, the key's held credits and lifetime limit, the hold row); reserve_credits itself becomes
-- a caller of the checked reservation below, so that no way to reserve skips a spend control.
CREATE FUNCTION place_hold(p_user_id uuid, p_amount bigint, p_ttl_ms integer, p_api_key_id uuid)
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

-- The checks and the reservation of one chat, in one call and one transaction, in this order:
--   CG401             the key is revoked, expired or not the user's (it failed between auth and now);
--   model_not_allowed the key's model list admits neither p_model nor the model p_model is an alias of;
--   key_budget        the key's period spend + p_amount would pass its budget;
--   user_budget       the user's period spend (every key and login) + p_amount would pass its limit;
--   insufficient_credits, concurrent_spend, CG402: as 0007 (the quick read, the lost race, the key's
--                     lifetime credit limit).
-- A refusal reserves nothing. For a budget refusal, limit_* and period_* describe the limit that refused.
--
-- Race-free: with a budget or a spend limit in play, the user's credit account row is locked before
-- the period's spend is summed. Every reservation of the user takes that lock (its guarded UPDATE) and
-- keeps it until its hold is committed, so the sum (a fresh snapshot, read after the lock) includes
-- every hold that could compete, and the next reservation waits for this one. Settles and releases
-- only lower a period's spend, so one that commits meanwhile can only make the check stricter.
-- Without any limit the 0007 path is unchanged: the unlocked quick read, then the guarded UPDATE.
DROP FUNCTION reserve_credits_checked(uuid, bigint, integer, uuid);
CREATE FUNCTION reserve_credits_checked(
  p_user_id uuid, p_amount bigint, p_ttl_ms integer, p_api_key_id uuid DEFAULT NULL, p_model text DEFAULT NULL)
RETURNS TABLE (hold_id uuid, available bigint, refusal text, limit_credits bigint, limit_period text,
               period_spend bigint, period_end timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_key api_keys;
  v_limit_credits bigint;
  v_limit_period text;
  v_available bigint;
  v_start timestamptz;
  v_end timestamptz;
  v_spend bigint;
  v_hold_id uuid;
BEGIN
  IF p_amount IS NULL OR p_amount <= 0 THEN
    RAISE EXCEPTION 'amount must be a positive number of credits' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_api_key_id IS NOT NULL THEN
    SELECT * INTO v_key FROM api_keys k WHERE k.id = p_api_key_id AND k.user_id = p_user_id;
    IF NOT FOUND OR v_key.revoked_at IS NOT NULL OR v_key.expires_at <= now() THEN
      RAISE EXCEPTION 'the API key is revoked, expired or unknown' USING ERRCODE = 'CG401';
    END IF;
    IF v_key.models IS NOT NULL AND NOT coalesce(
         p_model = ANY (v_key.models)
         OR EXISTS (SELECT 1 FROM model_prices m WHERE m.model = p_model AND m.upstream_model = ANY (v_key.models)),
         false) THEN
      RETURN QUERY SELECT NULL::uuid, NULL::bigint, 'model_not_allowed'::text, NULL::bigint, NULL::text, NULL::bigint,
                          NULL::timestamptz;
      RETURN;
    END IF;
  END IF;

  SELECT u.spend_limit_credits, u.spend_limit_period INTO v_limit_credits, v_limit_period
    FROM users u WHERE u.id = p_user_id;
  IF v_key.budget_credits IS NOT NULL OR v_limit_credits IS NOT NULL THEN
    PERFORM 1 FROM credit_accounts a WHERE a.user_id = p_user_id FOR UPDATE;
    -- The limits as they are now that this reservation is first in line.
    SELECT k.budget_credits, k.budget_period INTO v_key.budget_credits, v_key.budget_period
      FROM api_keys k WHERE k.id = p_api_key_id;
    SELECT u.spend_limit_credits, u.spend_limit_period INTO v_limit_credits, v_limit_period
      FROM users u WHERE u.id = p_user_id;
    IF v_key.budget_credits IS NOT NULL THEN
      SELECT b.period_start, b.period_end INTO v_start, v_end FROM spend_period_bounds(v_key.budget_period, now()) b;
      v_spend := api_key_period_spend(p_api_key_id, v_start, v_end);
      IF v_spend + p_amount > v_key.budget_credits THEN
        RETURN QUERY SELECT NULL::uuid, NULL::bigint, 'key_budget'::text, v_key.budget_credits, v_key.budget_period,
                            v_spend, v_end;
        RETURN;
      END IF;
    END IF;
    IF v_limit_credits IS NOT NULL THEN
      SELECT b.period_start, b.period_end INTO v_start, v_end FROM spend_period_bounds(v_limit_period, now()) b;
      v_spend := user_period_spend(p_user_id, v_start, v_end);
      IF v_spend + p_amount > v_limit_credits THEN
        RETURN QUERY SELECT NULL::uuid, NULL::bigint, 'user_budget'::text, v_limit_credits, v_limit_period, v_spend,
                            v_end;
        RETURN;
      END IF;
    END IF;
  END IF;

  SELECT a.balance - a.held INTO v_available FROM credit_accounts a WHERE a.user_id = p_user_id;
  v_available := coalesce(v_available, 0);
  IF v_available < p_amount THEN
    RETURN QUERY SELECT NULL::uuid, v_available, 'insufficient_credits'::text, NULL::bigint, NULL::text, NULL::bigint,
                        NULL::timestamptz;
    RETURN;
  END IF;
  v_hold_id := place_hold(p_user_id, p_amount, p_ttl_ms, p_api_key_id);
  RETURN QUERY SELECT v_hold_id, v_available, CASE WHEN v_hold_id IS NULL THEN 'concurrent_spend' END,
                      NULL::bigint, NULL::text, NULL::bigint, NULL::timestamptz;
END
$$;

-- 0002's primitive keeps its signature and answers (the hold, or NULL when too little is available),
-- and now refuses what the spend controls refuse (CG403; without a model, a key with a model list
-- admits nothing).
CREATE OR REPLACE FUNCTION reserve_credits(p_user_id uuid, p_amount bigint, p_ttl_ms integer, p_api_key_id uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_reservation record;
BEGIN
  SELECT * INTO v_reservation FROM reserve_credits_checked(p_user_id, p_amount, p_ttl_ms, p_api_key_id, NULL);
  IF v_reservation.refusal IN ('model_not_allowed', 'key_budget', 'user_budget') THEN
    RAISE EXCEPTION 'the spend controls refuse this hold (%)', v_reservation.refusal USING ERRCODE = 'CG403';
  END IF;
  RETURN v_reservation.hold_id;
END
$$;

-- 4. Changing a key's limits. `p_changes` holds the fields to change ("name", "creditLimit", "budget",
-- "models", "expiresAt", "allowedIps", as the API spells them); a field given as null is cleared, a
-- field left out is kept. Only a key of p_user_id that is not revoked can change (no_data_found
-- otherwise). The backend validated the values; the CHECKs of api_keys hold whatever it sent.
CREATE FUNCTION update_api_key(p_user_id uuid, p_key_id uuid, p_changes jsonb)
RETURNS SETOF api_keys
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_after api_keys;
BEGIN
  IF jsonb_typeof(p_changes) IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION 'changes must be an object' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE api_keys k
     SET name = CASE WHEN p_changes ? 'name' THEN p_changes ->> 'name' ELSE k.name END,
         credit_limit = CASE WHEN p_changes ? 'creditLimit' THEN (p_changes ->> 'creditLimit')::bigint
                             ELSE k.credit_limit END,
         budget_credits = CASE WHEN p_changes ? 'budget' THEN (p_changes -> 'budget' ->> 'credits')::bigint
                               ELSE k.budget_credits END,
         budget_period = CASE WHEN p_changes ? 'budget' THEN p_changes -> 'budget' ->> 'period' ELSE k.budget_period END,
         models = CASE WHEN NOT p_changes ? 'models' THEN k.models
                       WHEN jsonb_typeof(p_changes -> 'models') = 'array'
                         THEN ARRAY(SELECT jsonb_array_elements_text(p_changes -> 'models')) END,
         expires_at = CASE WHEN p_changes ? 'expiresAt' THEN (p_changes ->> 'expiresAt')::timestamptz
                           ELSE k.expires_at END,
         allowed_ips = CASE WHEN NOT p_changes ? 'allowedIps' THEN k.allowed_ips
                            WHEN jsonb_typeof(p_changes -> 'allowedIps') = 'array'
                              THEN ARRAY(SELECT jsonb_array_elements_text(p_changes -> 'allowedIps')) END
   WHERE k.id = p_key_id AND k.user_id = p_user_id AND k.revoked_at IS NULL
  RETURNING k.* INTO v_after;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such API key' USING ERRCODE = 'no_data_found';
  END IF;
  RETURN NEXT v_after;
END
$$;

-- What an audit row keeps of a key's limits.
CREATE FUNCTION api_key_limits_json(p_key api_keys) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'creditLimit', p_key.credit_limit,
    'budget', CASE WHEN p_key.budget_credits IS NULL THEN NULL
                   ELSE jsonb_build_object('credits', p_key.budget_credits, 'period', p_key.budget_period) END,
    'models', to_jsonb(p_key.models), 'expiresAt', p_key.expires_at, 'allowedIps', to_jsonb(p_key.allowed_ips))
$$;

-- 5. The admin's side, checked and audited like the other admin changes (0008): the admin's access
-- token is verified here, whatever the route guard did. The audit row's target is the key's owner,
-- so a user's trail shows what was done to its keys.
CREATE FUNCTION admin_update_api_key(
  p_actor_token text, p_user_id uuid, p_key_id uuid, p_changes jsonb, p_reason text)
RETURNS SETOF api_keys
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_before api_keys;
  v_after api_keys;
BEGIN
  IF p_changes ? 'name' THEN
    RAISE EXCEPTION 'an admin changes a key''s limits, not its name' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO v_before FROM api_keys k WHERE k.id = p_key_id AND k.user_id = p_user_id FOR UPDATE;
  SELECT * INTO v_after FROM update_api_key(p_user_id, p_key_id, p_changes);
  IF api_key_limits_json(v_before) IS DISTINCT FROM api_key_limits_json(v_after) THEN
    INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
    VALUES (v_actor_id, 'api_key.limits_changed', 'user', p_user_id::text,
            jsonb_build_object('apiKeyId', p_key_id, 'before', api_key_limits_json(v_before),
                               'after', api_key_limits_json(v_after)),
            nullif(btrim(coalesce(p_reason, '')), ''));
  END IF;
  RETURN NEXT v_after;
END
$$;

-- Revokes a key of p_user_id (no_data_found when it has no such key that works). Final, as every
-- revocation is (0008's trigger).
CREATE FUNCTION admin_revoke_api_key(p_actor_token text, p_user_id uuid, p_key_id uuid, p_reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
BEGIN
  UPDATE api_keys k SET revoked_at = now()
   WHERE k.id = p_key_id AND k.user_id = p_user_id AND k.revoked_at IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such API key' USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
  VALUES (v_actor_id, 'api_key.revoked', 'user', p_user_id::text, jsonb_build_object('apiKeyId', p_key_id),
          nullif(btrim(coalesce(p_reason, '')), ''));
END
$$;

-- Sets (both given) or clears (both NULL) a user's spend limit; no_data_found for an unknown user.
CREATE FUNCTION admin_set_user_spend_limit(
  p_actor_token text, p_user_id uuid, p_credits bigint, p_period text, p_reason text)
RETURNS TABLE (spend_limit_credits bigint, spend_limit_period text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_before users;
  v_after users;
BEGIN
  IF (p_credits IS NULL) <> (p_period IS NULL) THEN
    RAISE EXCEPTION 'a spend limit needs both credits and a period' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO v_before FROM users u WHERE u.id = p_user_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'user % does not exist', p_user_id USING ERRCODE = 'no_data_found';
  END IF;
  UPDATE users u SET spend_limit_credits = p_credits, spend_limit_period = p_period, updated_at = now()
   WHERE u.id = p_user_id
  RETURNING * INTO v_after;
  IF v_before.spend_limit_credits IS DISTINCT FROM v_after.spend_limit_credits
     OR v_before.spend_limit_period IS DISTINCT FROM v_after.spend_limit_period THEN
    INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
    VALUES (v_actor_id, 'user.spend_limit_changed', 'user', p_user_id::text,
            jsonb_build_object(
              'before', CASE WHEN v_before.spend_limit_credits IS NULL THEN NULL ELSE jsonb_build_object(
                'credits', v_before.spend_limit_credits, 'period', v_before.spend_limit_period) END,
              'after', CASE WHEN v_after.spend_limit_credits IS NULL THEN NULL ELSE jsonb_build_object(
                'credits', v_after.spend_limit_credits, 'period', v_after.spend_limit_period) END),
            nullif(btrim(coalesce(p_reason, '')), ''));
  END IF;
  RETURN QUERY SELECT v_after.spend_limit_credits, v_after.spend_limit_period;
END
$$;

-- 6. Grants. The runtime role creates keys with their limits (INSERT of the new columns) and changes
-- them only through update_api_key; it reads the new columns, and the user-scoped role reads a key's.
GRANT INSERT (budget_credits, budget_period, models, expires_at, allowed_ips) ON api_keys TO creditgate_app;
GRANT SELECT (budget_credits, budget_period, models, expires_at, allowed_ips) ON api_keys TO creditgate_user;
GRANT SELECT (spend_limit_credits, spend_limit_period) ON users TO creditgate_user;

REVOKE EXECUTE ON FUNCTION
  spend_period_bounds(text, timestamptz),
  api_key_period_spend(uuid, timestamptz, timestamptz),
  user_period_spend(uuid, timestamptz, timestamptz),
  place_hold(uuid, bigint, integer, uuid),
  reserve_credits_checked(uuid, bigint, integer, uuid, text),
  update_api_key(uuid, uuid, jsonb),
  api_key_limits_json(api_keys),
  admin_update_api_key(text, uuid, uuid, jsonb, text),
  admin_revoke_api_key(text, uuid, uuid, text),
  admin_set_user_spend_limit(text, uuid, bigint, text, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  spend_period_bounds(text, timestamptz),
  api_key_period_spend(uuid, timestamptz, timestamptz),
  user_period_spend(uuid, timestamptz, timestamptz),
  reserve_credits_checked(uuid, bigint, integer, uuid, text),
  update_api_key(uuid, uuid, jsonb),
  admin_update_api_key(text, uuid, uuid, jsonb, text),
  admin_revoke_api_key(text, uuid, uuid, text),
  admin_set_user_spend_limit(text, uuid, bigint, text, text)
TO creditgate_app;
