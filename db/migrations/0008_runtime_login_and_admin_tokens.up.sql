-- Issue 13, "the second check must be a real one". Nothing the runtime role can do by itself may make
-- it an admin or let it act as one:
--  1. creditgate_app becomes the backend's login role. The pool used to log in as the owner (a
--     superuser in tests and in docker-compose) and only assume creditgate_app, so one `SET ROLE`
--     undid every grant. The backend sets the password at boot and refuses to start when the role
--     could become a superuser or the owner (backend/src/database/runtime-login.ts).
--  2. The admin functions take the caller's access token (the HS256 JWT the backend issues) instead of
--     an actor id the runtime role could choose, and verify its signature with a key only the owner
--     can read.
--  3. The runtime role registers users without choosing their role, no longer rewrites password
--     hashes, and cannot undo the revocation of an API key or a refresh token.

-- hmac() for the token check. A trusted extension since PostgreSQL 13: a database owner that is not a
-- superuser may create it.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- 1. The runtime login role. Role attributes and memberships are cluster-wide and ALTER ROLE by a
-- non-superuser may not even mention SUPERUSER, so each attribute is changed only when it is wrong.
-- Several databases of one cluster migrating at once race on the same pg_authid row ("tuple
-- concurrently updated", XX000): the loser looks again, and then finds nothing left to change.
DO $$
DECLARE
  v_role pg_roles;
BEGIN
  FOR v_attempt IN 1..5 LOOP
    BEGIN
      SELECT * INTO STRICT v_role FROM pg_roles WHERE rolname = 'creditgate_app';
      IF v_role.rolsuper THEN
        ALTER ROLE creditgate_app NOSUPERUSER;
      END IF;
      IF v_role.rolcreatedb THEN
        ALTER ROLE creditgate_app NOCREATEDB;
      END IF;
      IF v_role.rolcreaterole THEN
        ALTER ROLE creditgate_app NOCREATEROLE;
      END IF;
      IF v_role.rolbypassrls THEN
        ALTER ROLE creditgate_app NOBYPASSRLS;
      END IF;
      IF v_role.rolreplication THEN
        ALTER ROLE creditgate_app NOREPLICATION;
      END IF;
      IF NOT v_role.rolcanlogin THEN
        ALTER ROLE creditgate_app LOGIN;
      END IF;
      -- Database.asUser switches to creditgate_user with SET LOCAL ROLE, which needs the membership
      -- now that the session itself is creditgate_app. creditgate_user can do less, never more.
      IF NOT pg_has_role('creditgate_app', 'creditgate_user', 'MEMBER') THEN
        GRANT creditgate_user TO creditgate_app;
      END IF;
      EXIT;
    EXCEPTION WHEN internal_error THEN
      IF v_attempt = 5 THEN
        RAISE;
      END IF;
    END;
  END LOOP;
END
$$;

-- 2. The key that signs access tokens (JWT_SECRET), stored by the backend at boot as the owner.
-- Nothing is granted on it: only the owner, and the SECURITY DEFINER functions below, read it.
CREATE TABLE access_token_key (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  secret     bytea NOT NULL CHECK (octet_length(secret) >= 32),
  updated_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON access_token_key FROM PUBLIC;

-- The enabled admin whose access token this is, or insufficient_privilege. The same checks as the
-- backend's JwtStrategy: an HS256 signature by access_token_key, issuer creditgate, audience
-- creditgate-api, not expired (nor before nbf); then the role is read from users, as the route
-- guard reads it, so a demoted or disabled admin's token stops working at once.
CREATE FUNCTION admin_actor_from_token(p_token text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_parts text[] := string_to_array(p_token, '.');
  v_secret bytea;
  v_signature text;
  v_header jsonb;
  v_claims jsonb;
  -- The clock, not the transaction's start: an old open transaction must not stretch a token's life.
  v_now numeric := extract(epoch FROM clock_timestamp());
  v_actor uuid;
BEGIN
  IF p_token IS NULL OR cardinality(v_parts) <> 3 THEN
    RAISE EXCEPTION 'an admin''s access token is required' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT k.secret INTO v_secret FROM access_token_key k;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no access-token key is stored (the backend stores it at boot)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;

  -- base64url(HMAC-SHA256(secret, header "." claims)), unpadded, as JWS (RFC 7515) encodes it.
  v_signature := rtrim(translate(encode(
    hmac(convert_to(v_parts[1] || '.' || v_parts[2], 'UTF8'), v_secret, 'sha256'), 'base64'), '+/', '-_'), '=');
  -- Compared through a second HMAC, so the time the comparison takes says nothing about how much of
  -- a forged signature was right.
  IF hmac(convert_to(v_signature, 'UTF8'), v_secret, 'sha256')
     <> hmac(convert_to(v_parts[3], 'UTF8'), v_secret, 'sha256') THEN
    RAISE EXCEPTION 'the access token''s signature is not valid' USING ERRCODE = 'insufficient_privilege';
  END IF;

  BEGIN
    v_header := convert_from(decode(rpad(translate(v_parts[1], '-_', '+/'), (length(v_parts[1]) + 3) / 4 * 4, '='),
                                    'base64'), 'UTF8')::jsonb;
    v_claims := convert_from(decode(rpad(translate(v_parts[2], '-_', '+/'), (length(v_parts[2]) + 3) / 4 * 4, '='),
                                    'base64'), 'UTF8')::jsonb;
  EXCEPTION WHEN OTHERS THEN
    RAISE EXCEPTION 'the access token is malformed' USING ERRCODE = 'insufficient_privilege';
  END;
  IF jsonb_typeof(v_header) <> 'object' OR jsonb_typeof(v_claims) <> 'object'
     OR v_header ->> 'alg' IS DISTINCT FROM 'HS256' THEN
    RAISE EXCEPTION 'the access token is not an HS256 JWT' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- CASE, not OR: a cast is reached only once the value is known to be a number.
  IF (CASE WHEN jsonb_typeof(v_claims -> 'exp') = 'number' THEN (v_claims ->> 'exp')::numeric <= v_now ELSE true END)
     OR (CASE WHEN NOT v_claims ? 'nbf' THEN false
              WHEN jsonb_typeof(v_claims -> 'nbf') = 'number' THEN (v_claims ->> 'nbf')::numeric > v_now
              ELSE true END) THEN
    RAISE EXCEPTION 'the access token has expired or is not valid yet' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- jsonwebtoken accepts an audience given as a string or as a list that contains it.
  IF v_claims -> 'iss' IS DISTINCT FROM '"creditgate"'::jsonb
     OR NOT coalesce(v_claims -> 'aud' = '"creditgate-api"'::jsonb
                     OR (jsonb_typeof(v_claims -> 'aud') = 'array' AND v_claims -> 'aud' @> '["creditgate-api"]'::jsonb),
                     false) THEN
    RAISE EXCEPTION 'the access token is not one of CreditGate''s' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF jsonb_typeof(v_claims -> 'sub') IS DISTINCT FROM 'string'
     OR v_claims ->> 'sub' !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    RAISE EXCEPTION 'the access token names no user' USING ERRCODE = 'insufficient_privilege';
  END IF;

  SELECT u.id INTO v_actor FROM users u
   WHERE u.id = (v_claims ->> 'sub')::uuid AND u.role = 'admin' AND NOT u.disabled;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'only an enabled admin can do this' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN v_actor;
END
$$;

-- The admin functions of 0002 and 0006, now acting for the admin whose token they are given.
DROP FUNCTION admin_add_credits(uuid, uuid, bigint, text, text);
DROP FUNCTION admin_set_user_access(uuid, uuid, text, boolean, text);
DROP FUNCTION admin_set_model_price(uuid, text, boolean, bigint, numeric, numeric, text);
DROP FUNCTION assert_admin(uuid);

-- Recharge by an admin. A repeated (admin, idempotency key) returns the first recharge instead of
-- adding again; the same key for another user or amount raises CG422.
CREATE FUNCTION admin_add_credits(
  p_actor_token text, p_user_id uuid, p_amount bigint, p_reason text, p_idempotency_key text DEFAULT NULL)
RETURNS TABLE (ledger_entry_id bigint, balance bigint, replayed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_existing credit_ledger;
  v_balance bigint;
  v_ledger_id bigint;
BEGIN
  IF p_amount IS NULL OR p_amount < 1 OR p_amount > 1000000 THEN
    RAISE EXCEPTION 'amount must be an integer from 1 to 1,000,000' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_reason IS NULL OR length(btrim(p_reason)) = 0 OR length(p_reason) > 500 THEN
    RAISE EXCEPTION 'a reason of 1 to 500 characters is required' USING ERRCODE = 'invalid_parameter_value';
  END IF;

  LOOP
    IF p_idempotency_key IS NOT NULL THEN
      SELECT * INTO v_existing FROM credit_ledger l
       WHERE l.actor_id = v_actor_id AND l.idempotency_key = p_idempotency_key;
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
      VALUES (p_user_id, 'recharge', p_amount, v_balance, btrim(p_reason), v_actor_id, p_idempotency_key)
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

-- Changes a user's role and/or disabled flag (NULL = unchanged). The last enabled admin can be
-- neither demoted nor disabled (CG423). Raises no_data_found for an unknown user. Answers the user's
-- role and flag afterwards.
CREATE FUNCTION admin_set_user_access(p_actor_token text, p_user_id uuid, p_role text, p_disabled boolean, p_reason text)
RETURNS TABLE (role text, disabled boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  -- Serialises changes of access (advisory-lock key space: backend/src/database/database-roles.ts):
  -- two admins demoting each other cannot both pass the last-admin check below.
  c_access_change_lock CONSTANT bigint := 7461923002;
  v_actor_id uuid;
  v_before users;
  v_after users;
BEGIN
  IF p_role IS NOT NULL AND p_role NOT IN ('user', 'admin') THEN
    RAISE EXCEPTION 'role must be user or admin' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(c_access_change_lock);
  -- The actor is checked under the lock, so an admin demoted by a concurrent change acts no more.
  v_actor_id := admin_actor_from_token(p_actor_token);
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
    VALUES (v_actor_id, 'user.access_changed', 'user', p_user_id::text,
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

-- 3. What registration needs and no more: the role and the disabled flag take their defaults, so the
-- runtime role cannot create an admin. No UPDATE on users at all: the runtime role never changes a
-- user (roles and flags change through admin_set_user_access), and a password hash it could rewrite
-- would let it sign in as any admin. API keys likewise get only the columns their creation sets.
REVOKE INSERT ON users FROM creditgate_app;
REVOKE UPDATE (password_hash, updated_at) ON users FROM creditgate_app;
GRANT INSERT (email, password_hash) ON users TO creditgate_app;
REVOKE INSERT ON api_keys FROM creditgate_app;
GRANT INSERT (user_id, name, prefix, secret_hash, credit_limit) ON api_keys TO creditgate_app;

-- A revocation is final: the runtime role may revoke (it serves DELETE /api/keys/:id and logout) but
-- never clear or move the timestamp again, and a refresh token once exchanged stays exchanged. A
-- trigger rather than a revoke function, because the guarded `UPDATE … WHERE revoked_at IS NULL`
-- the repositories already run is the right statement; only its undoing must be impossible.
CREATE FUNCTION forbid_undoing_revocation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'revocations in % are final', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER api_keys_revocation_is_final BEFORE UPDATE OF revoked_at ON api_keys
  FOR EACH ROW WHEN (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at)
  EXECUTE FUNCTION forbid_undoing_revocation();
CREATE TRIGGER refresh_tokens_revocation_is_final BEFORE UPDATE OF revoked_at, rotated_at ON refresh_tokens
  FOR EACH ROW WHEN ((OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at)
                     OR (OLD.rotated_at IS NOT NULL AND NEW.rotated_at IS DISTINCT FROM OLD.rotated_at))
  EXECUTE FUNCTION forbid_undoing_revocation();

REVOKE EXECUTE ON FUNCTION
  admin_actor_from_token(text),
  admin_add_credits(text, uuid, bigint, text, text),
  admin_set_user_access(text, uuid, text, boolean, text),
  admin_set_model_price(text, text, boolean, bigint, numeric, numeric, text),
  forbid_undoing_revocation()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  admin_add_credits(text, uuid, bigint, text, text),
  admin_set_user_access(text, uuid, text, boolean, text),
  admin_set_model_price(text, text, boolean, bigint, numeric, numeric, text)
TO creditgate_app;
