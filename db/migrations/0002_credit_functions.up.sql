-- The only code that changes a balance. Every function is SECURITY DEFINER (it runs with the owner's
-- rights, which the runtime role lacks) and pins search_path so a caller cannot redirect it.
-- Lock order, everywhere: hold row, then credit account, then API key - so they cannot deadlock.

-- Signup grant: a new user gets SIGNUP_CREDITS (app_settings) and the ledger row that explains them.
CREATE FUNCTION grant_signup_credits() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_amount bigint := coalesce((SELECT value::bigint FROM app_settings WHERE key = 'signup_credits'), 1000);
BEGIN
  INSERT INTO credit_accounts (user_id, balance) VALUES (NEW.id, v_amount);
  IF v_amount > 0 THEN
    INSERT INTO credit_ledger (user_id, kind, amount, balance_after, reason)
    VALUES (NEW.id, 'signup_grant', v_amount, v_amount, 'Signup grant');
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER users_grant_signup_credits AFTER INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION grant_signup_credits();

-- The one guarded UPDATE every reservation goes through: it moves p_amount from available to held
-- only while that much is available. Concurrent callers serialise on the row and re-check the
-- condition, so however many race, the available amount never goes below zero.
CREATE FUNCTION spend_credits_if_enough(p_user_id uuid, p_amount bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_amount IS NULL OR p_amount <= 0 THEN
    RAISE EXCEPTION 'amount must be a positive number of credits' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE credit_accounts
     SET held = held + p_amount, updated_at = now()
   WHERE user_id = p_user_id AND balance - held >= p_amount;
  RETURN FOUND;
END
$$;

-- Reserve: the guarded UPDATE plus a hold row that expires. Returns the hold id, or NULL when the
-- user has too little available (the caller answers 409 CONCURRENT_SPEND if its earlier read said
-- enough). With an API key, the key's own credit limit is reserved against too.
CREATE FUNCTION reserve_credits(p_user_id uuid, p_amount bigint, p_ttl_ms integer, p_api_key_id uuid DEFAULT NULL)
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

-- Closes an open hold: charges min(p_charge, hold) from the balance, frees the whole hold, and writes
-- the ledger row. Raises CG409 if the hold is no longer open (already settled, released or expired).
CREATE FUNCTION settle_hold(p_hold_id uuid, p_charge bigint, p_reason text)
RETURNS TABLE (ledger_entry_id bigint, charged bigint, balance bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_hold credit_holds;
  v_charge bigint;
  v_balance bigint;
  v_ledger_id bigint;
BEGIN
  IF p_charge IS NULL OR p_charge < 0 THEN
    RAISE EXCEPTION 'charge must not be negative' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO v_hold FROM credit_holds WHERE id = p_hold_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'hold % does not exist', p_hold_id USING ERRCODE = 'no_data_found';
  END IF;
  IF v_hold.status <> 'open' THEN
    RAISE EXCEPTION 'hold % is already %', p_hold_id, v_hold.status USING ERRCODE = 'CG409';
  END IF;
  v_charge := least(p_charge, v_hold.amount);

  UPDATE credit_accounts a
     SET balance = a.balance - v_charge, held = a.held - v_hold.amount, updated_at = now()
   WHERE a.user_id = v_hold.user_id
  RETURNING a.balance INTO v_balance;
  IF v_hold.api_key_id IS NOT NULL THEN
    UPDATE api_keys k
       SET credits_held = k.credits_held - v_hold.amount, credits_spent = k.credits_spent + v_charge
     WHERE k.id = v_hold.api_key_id;
  END IF;
  UPDATE credit_holds SET status = 'settled', charged = v_charge, closed_at = now() WHERE id = p_hold_id;
  IF v_charge > 0 THEN
    INSERT INTO credit_ledger (user_id, kind, amount, balance_after, reason, hold_id)
    VALUES (v_hold.user_id, 'charge', -v_charge, v_balance, coalesce(nullif(p_reason, ''), 'AI request'), p_hold_id)
    RETURNING id INTO v_ledger_id;
  END IF;
  RETURN QUERY SELECT v_ledger_id, v_charge, v_balance;
END
$$;

-- Frees an open hold as p_status ('released' by the request, 'expired' by the sweeper). Shared by
-- release_hold and expire_holds, which lock the hold first; not callable by the runtime role.
CREATE FUNCTION close_hold_without_charge(p_hold credit_holds, p_status text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE credit_accounts SET held = held - p_hold.amount, updated_at = now() WHERE user_id = p_hold.user_id;
  IF p_hold.api_key_id IS NOT NULL THEN
    UPDATE api_keys SET credits_held = credits_held - p_hold.amount WHERE id = p_hold.api_key_id;
  END IF;
  UPDATE credit_holds SET status = p_status, closed_at = now() WHERE id = p_hold.id;
END
$$;

-- Returns the whole hold to the available balance; false (and nothing changes) if it was not open.
CREATE FUNCTION release_hold(p_hold_id uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_hold credit_holds;
BEGIN
  SELECT * INTO v_hold FROM credit_holds WHERE id = p_hold_id AND status = 'open' FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM close_hold_without_charge(v_hold, 'released');
  RETURN true;
END
$$;

-- Releases holds whose process died before settling them. SKIP LOCKED lets several backend
-- instances sweep at once without waiting on each other or touching a hold twice.
CREATE FUNCTION expire_holds(p_limit integer DEFAULT 1000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_hold credit_holds;
  v_count integer := 0;
BEGIN
  FOR v_hold IN
    SELECT * FROM credit_holds
     WHERE status = 'open' AND expires_at <= now()
     ORDER BY expires_at
     LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  LOOP
    PERFORM close_hold_without_charge(v_hold, 'expired');
    v_count := v_count + 1;
  END LOOP;
  RETURN v_count;
END
$$;

-- Recharge by an admin. The acting user's role is checked here as well as by the route guard, so a
-- bypassed guard still cannot mint credits. A repeated (actor, idempotency key) returns the first
-- recharge instead of adding again; the same key for another user or amount raises CG422.
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

-- A usage row that reports a charge must match its ledger row exactly, so that
-- sum(usage.credits_charged) = sum(ledger charges) holds by construction.
CREATE FUNCTION check_usage_matches_ledger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.ledger_entry_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM credit_ledger l
     WHERE l.id = NEW.ledger_entry_id AND l.kind = 'charge' AND l.amount = -NEW.credits_charged
       AND l.user_id = NEW.user_id AND l.hold_id IS NOT DISTINCT FROM NEW.hold_id
  ) THEN
    RAISE EXCEPTION 'usage row does not match its ledger charge' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER usage_logs_match_ledger BEFORE INSERT OR UPDATE ON usage_logs
  FOR EACH ROW EXECUTE FUNCTION check_usage_matches_ledger();
