-- Top-up (issue 18, docs/top-up.md): redemption codes and card payments through Stripe Checkout.
--
-- 1. The ledger learns two kinds, `redeem` and `payment`, and each such row names what it came from
--    (a code, an order) in a UNIQUE column: "one code credits once" and "one order credits once" are
--    constraints of the database, not only of the functions below.
-- 2. Redemption codes come in batches made by admins (admin functions that verify the access token,
--    0008, and audit). Only a SHA-256 of each code and its last four characters are stored: the code is
--    120 random bits, so a slow hash would add nothing (as for API keys). redeem_code is one conditional
--    UPDATE of the code that also credits the account and writes the ledger row.
-- 3. Credit packages are data, changed by admin functions (audited); archived, never deleted, since
--    orders name them. An order copies its package's credits, amount and currency when it is made, by a
--    function: the runtime role can neither write an order nor change one, so it cannot make a small
--    payment buy many credits.
-- 4. Every Stripe event whose signature the backend verified is stored under its id (the PRIMARY KEY
--    makes a replay a no-op) with what it did; a paid Checkout Session credits its order in the same
--    transaction, through one conditional UPDATE of the order.

-- 1. The ledger.
ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_kind_check;
ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_kind_check
  CHECK (kind IN ('signup_grant', 'recharge', 'charge', 'redeem', 'payment'));

-- 2. Redemption codes.
CREATE TABLE redemption_batches (
  id         uuid PRIMARY KEY,
  credits    bigint NOT NULL CHECK (credits BETWEEN 1 AND 1000000),
  code_count integer NOT NULL CHECK (code_count BETWEEN 1 AND 1000),
  note       text NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 500),
  expires_at timestamptz,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by uuid REFERENCES users (id),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX redemption_batches_created ON redemption_batches (created_at DESC, id DESC);

CREATE TABLE redemption_codes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id    uuid NOT NULL REFERENCES redemption_batches (id),
  -- SHA-256 of the normalised code (upper case, no dashes or spaces).
  code_hash   bytea NOT NULL UNIQUE CHECK (octet_length(code_hash) = 32),
  -- The code's last four characters: all that is ever shown of it again.
  last4       text NOT NULL CHECK (length(last4) = 4),
  redeemed_by uuid REFERENCES users (id),
  redeemed_at timestamptz,
  revoked_at  timestamptz,
  CHECK ((redeemed_by IS NULL) = (redeemed_at IS NULL)),
  -- A code is redeemed or revoked, never both: revoking touches only unused codes.
  CHECK (redeemed_at IS NULL OR revoked_at IS NULL)
);
CREATE INDEX redemption_codes_batch ON redemption_codes (batch_id);

-- 3. Packages and orders.
CREATE TABLE credit_packages (
  id          uuid PRIMARY KEY,
  name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  credits     bigint NOT NULL CHECK (credits BETWEEN 1 AND 1000000),
  -- In the currency's smallest unit (cents; whole yen for JPY), as Stripe's unit_amount.
  price_cents bigint NOT NULL CHECK (price_cents BETWEEN 1 AND 99999999),
  currency    text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payment_orders (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id           uuid NOT NULL REFERENCES users (id),
  package_id        uuid NOT NULL REFERENCES credit_packages (id),
  -- Copied from the package when the order is made: a later edit of the package changes no order.
  package_name      text NOT NULL,
  credits           bigint NOT NULL CHECK (credits > 0),
  amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
  currency          text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'expired', 'failed')),
  -- The Checkout Session made for it; one session pays one order.
  stripe_session_id text UNIQUE CHECK (length(stripe_session_id) BETWEEN 1 AND 255),
  failure_reason    text CHECK (length(failure_reason) <= 300),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  paid_at           timestamptz,
  CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
  CHECK (status <> 'paid' OR stripe_session_id IS NOT NULL)
);
CREATE INDEX payment_orders_user ON payment_orders (user_id, created_at DESC, id DESC);

-- What the ledger row of a redemption or a payment came from; each credits once.
ALTER TABLE credit_ledger
  ADD COLUMN redemption_code_id bigint UNIQUE REFERENCES redemption_codes (id),
  ADD COLUMN payment_order_id uuid UNIQUE REFERENCES payment_orders (id),
  ADD CONSTRAINT credit_ledger_redeem_names_its_code CHECK ((kind = 'redeem') = (redemption_code_id IS NOT NULL)),
  ADD CONSTRAINT credit_ledger_payment_names_its_order CHECK ((kind = 'payment') = (payment_order_id IS NOT NULL));

-- 4. Stripe events, as received (their signature verified).
CREATE TABLE stripe_events (
  id             text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 255),
  type           text NOT NULL CHECK (length(type) BETWEEN 1 AND 255),
  livemode       boolean NOT NULL,
  -- The Checkout Session it is about, when it is about one.
  session_id     text CHECK (length(session_id) <= 255),
  -- The order it names (client_reference_id), as sent: not necessarily one of ours.
  order_ref      text CHECK (length(order_ref) <= 255),
  -- The body exactly as Stripe sent it (text, not jsonb: jsonb would refuse a "\u0000" in it).
  payload        text NOT NULL,
  outcome        text NOT NULL CHECK (outcome IN (
                   'credited', 'order_expired', 'order_failed', 'already_paid', 'order_not_pending', 'unmatched',
                   'amount_mismatch', 'currency_mismatch', 'not_paid', 'ignored')),
  outcome_detail text CHECK (length(outcome_detail) <= 500),
  received_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_events_session ON stripe_events (session_id) WHERE session_id IS NOT NULL;

-- The ledger's reason for a code: the batch named, never its note (the user reads the reason; the
-- note is for admins).
CREATE FUNCTION redeem_code(p_user_id uuid, p_code_hash bytea)
RETURNS TABLE (outcome text, credited bigint, balance bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_code redemption_codes;
  v_batch redemption_batches;
  v_balance bigint;
BEGIN
  -- The one statement that decides: whoever races for the code, one UPDATE matches it (the others
  -- wait for its row lock, then find it redeemed and match nothing).
  UPDATE redemption_codes c SET redeemed_by = p_user_id, redeemed_at = now()
    FROM redemption_batches b
   WHERE c.code_hash = p_code_hash AND b.id = c.batch_id
     AND c.redeemed_at IS NULL AND c.revoked_at IS NULL
     AND (b.expires_at IS NULL OR b.expires_at > now())
  RETURNING c.* INTO v_code;
  IF FOUND THEN
    SELECT * INTO STRICT v_batch FROM redemption_batches WHERE id = v_code.batch_id;
    UPDATE credit_accounts a SET balance = a.balance + v_batch.credits, updated_at = now()
     WHERE a.user_id = p_user_id
    RETURNING a.balance INTO v_balance;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'user % has no credit account', p_user_id USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO credit_ledger (user_id, kind, amount, balance_after, reason, redemption_code_id)
    VALUES (p_user_id, 'redeem', v_batch.credits, v_balance,
            format('Redemption code …%s (batch %s)', v_code.last4, v_batch.id), v_code.id);
    RETURN QUERY SELECT 'redeemed'::text, v_batch.credits, v_balance;
    RETURN;
  END IF;

  -- Nothing matched: only now say why. Revoked reads as unknown, so a revoked code tells nothing.
  SELECT c.* INTO v_code FROM redemption_codes c WHERE c.code_hash = p_code_hash;
  IF NOT FOUND OR v_code.revoked_at IS NOT NULL THEN
    RETURN QUERY SELECT 'not_found'::text, 0::bigint, NULL::bigint;
  ELSIF v_code.redeemed_at IS NOT NULL THEN
    RETURN QUERY SELECT 'already_redeemed'::text, 0::bigint, NULL::bigint;
  ELSE
    RETURN QUERY SELECT 'expired'::text, 0::bigint, NULL::bigint;
  END IF;
END
$$;

-- A batch of codes, made by the backend (which generates the codes and shows them once) and stored
-- here as hashes. Audited without the codes.
CREATE FUNCTION admin_create_redemption_batch(
  p_actor_token text, p_batch_id uuid, p_credits bigint, p_expires_at timestamptz, p_note text,
  p_code_hashes bytea[], p_last4s text[])
RETURNS SETOF redemption_batches
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_after redemption_batches;
BEGIN
  IF p_expires_at IS NOT NULL AND p_expires_at <= now() THEN
    RAISE EXCEPTION 'a batch must expire in the future' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF cardinality(p_code_hashes) IS DISTINCT FROM cardinality(p_last4s) THEN
    RAISE EXCEPTION 'one last4 per code hash' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO redemption_batches (id, credits, code_count, note, expires_at, created_by)
  VALUES (p_batch_id, p_credits, cardinality(p_code_hashes), btrim(p_note), p_expires_at, v_actor_id)
  RETURNING * INTO v_after;
  INSERT INTO redemption_codes (batch_id, code_hash, last4)
  SELECT p_batch_id, h, l FROM unnest(p_code_hashes, p_last4s) AS u (h, l);
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
  VALUES (v_actor_id, 'redemption_batch.created', 'redemption_batch', p_batch_id::text,
          jsonb_build_object('credits', p_credits, 'count', v_after.code_count, 'expiresAt', p_expires_at),
          v_after.note);
  RETURN NEXT v_after;
END
$$;

-- Revokes the batch's unused codes (redeemed ones stay redeemed). Again on a revoked batch: nothing
-- more to revoke, nothing audited. No such batch: no_data_found.
CREATE FUNCTION admin_revoke_redemption_batch(p_actor_token text, p_batch_id uuid)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_revoked integer;
BEGIN
  UPDATE redemption_batches SET revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, v_actor_id)
   WHERE id = p_batch_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'redemption batch % does not exist', p_batch_id USING ERRCODE = 'no_data_found';
  END IF;
  -- The same conditional form as redeem_code's: a code being redeemed right now is either redeemed
  -- (and stays so) or revoked, never both.
  UPDATE redemption_codes SET revoked_at = now()
   WHERE batch_id = p_batch_id AND redeemed_at IS NULL AND revoked_at IS NULL;
  GET DIAGNOSTICS v_revoked = ROW_COUNT;
  IF v_revoked > 0 THEN
    INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
    VALUES (v_actor_id, 'redemption_batch.revoked', 'redemption_batch', p_batch_id::text,
            jsonb_build_object('revoked', v_revoked));
  END IF;
  RETURN v_revoked;
END
$$;

CREATE FUNCTION credit_package_audit_view(p_package credit_packages) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT CASE WHEN p_package.id IS NULL THEN NULL ELSE jsonb_build_object(
    'name', p_package.name, 'credits', p_package.credits, 'priceCents', p_package.price_cents,
    'currency', p_package.currency, 'active', p_package.active) END
$$;

CREATE FUNCTION admin_create_credit_package(
  p_actor_token text, p_id uuid, p_name text, p_credits bigint, p_price_cents bigint, p_currency text)
RETURNS SETOF credit_packages
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_after credit_packages;
BEGIN
  INSERT INTO credit_packages (id, name, credits, price_cents, currency)
  VALUES (p_id, btrim(p_name), p_credits, p_price_cents, lower(p_currency))
  RETURNING * INTO v_after;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
  VALUES (v_actor_id, 'credit_package.created', 'credit_package', p_id::text,
          jsonb_build_object('after', credit_package_audit_view(v_after)));
  RETURN NEXT v_after;
END
$$;

-- A NULL argument keeps the field; orders already made keep what they copied. No row: no_data_found.
CREATE FUNCTION admin_update_credit_package(
  p_actor_token text, p_id uuid, p_name text, p_credits bigint, p_price_cents bigint, p_currency text,
  p_active boolean)
RETURNS SETOF credit_packages
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_before credit_packages;
  v_after credit_packages;
BEGIN
  SELECT * INTO v_before FROM credit_packages WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'credit package % does not exist', p_id USING ERRCODE = 'no_data_found';
  END IF;
  UPDATE credit_packages
     SET name = coalesce(btrim(p_name), name), credits = coalesce(p_credits, credits),
         price_cents = coalesce(p_price_cents, price_cents), currency = coalesce(lower(p_currency), currency),
         active = coalesce(p_active, active), updated_at = now()
   WHERE id = p_id
  RETURNING * INTO v_after;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
  VALUES (v_actor_id, CASE WHEN v_before.active AND NOT v_after.active THEN 'credit_package.archived'
                           ELSE 'credit_package.updated' END,
          'credit_package', p_id::text,
          jsonb_build_object('before', credit_package_audit_view(v_before), 'after', credit_package_audit_view(v_after)));
  RETURN NEXT v_after;
END
$$;

-- A pending order for an active package, with the package's credits, price and currency copied.
-- No such active package: no_data_found.
CREATE FUNCTION create_payment_order(p_user_id uuid, p_package_id uuid)
RETURNS SETOF payment_orders
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_package credit_packages;
  v_order payment_orders;
BEGIN
  SELECT * INTO v_package FROM credit_packages WHERE id = p_package_id AND active;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no active credit package %', p_package_id USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO payment_orders (user_id, package_id, package_name, credits, amount_cents, currency)
  VALUES (p_user_id, v_package.id, v_package.name, v_package.credits, v_package.price_cents, v_package.currency)
  RETURNING * INTO v_order;
  RETURN NEXT v_order;
END
$$;

-- The Checkout Session opened for a pending order (once), or why none could be: the order fails.
CREATE FUNCTION attach_checkout_session(p_order_id uuid, p_session_id text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH attached AS (
    UPDATE payment_orders SET stripe_session_id = p_session_id, updated_at = now()
     WHERE id = p_order_id AND status = 'pending' AND stripe_session_id IS NULL
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM attached)
$$;

CREATE FUNCTION fail_payment_order(p_order_id uuid, p_reason text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH failed AS (
    UPDATE payment_orders SET status = 'failed', failure_reason = left(p_reason, 300), updated_at = now()
     WHERE id = p_order_id AND status = 'pending' AND stripe_session_id IS NULL
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM failed)
$$;

-- A Stripe event whose signature the backend verified, stored and acted on in one transaction.
-- Answers what it did, and whether it had been received before (then it did nothing again).
--   checkout.session.completed with payment_status 'paid': credits the order named by both
--     client_reference_id and metadata.orderId, if that order is pending, was made for this session,
--     and asks the same amount in the same currency — one conditional UPDATE moves it to paid, and
--     the ledger row is written beside it.
--   checkout.session.async_payment_succeeded (a delayed method, e.g. a bank debit, that completed
--     unpaid and was paid later): credits likewise.
--   checkout.session.expired: the order made for this session, still pending, expires.
--   checkout.session.async_payment_failed: the order made for this session, still pending, fails.
--   anything else: stored, ignored.
CREATE FUNCTION record_stripe_event(
  p_event_id text, p_type text, p_livemode boolean, p_payload text, p_session_id text,
  p_client_reference_id text, p_metadata_order_id text, p_payment_status text, p_amount_total bigint,
  p_currency text)
RETURNS TABLE (outcome text, replayed boolean, order_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_outcome text;
  v_detail text;
  v_order_id uuid;
  v_order payment_orders;
  v_balance bigint;
BEGIN
  -- First the event itself: a replay (or a concurrent duplicate, which waits here for the first to
  -- commit) finds its id taken and changes nothing.
  INSERT INTO stripe_events (id, type, livemode, session_id, order_ref, payload, outcome)
  VALUES (p_event_id, p_type, p_livemode, p_session_id, left(p_client_reference_id, 255), p_payload, 'ignored')
  ON CONFLICT (id) DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY SELECT e.outcome, true, NULL::uuid FROM stripe_events e WHERE e.id = p_event_id;
    RETURN;
  END IF;

  IF p_type LIKE 'checkout.session.%' THEN
    IF p_client_reference_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       AND p_metadata_order_id IS NOT DISTINCT FROM p_client_reference_id THEN
      v_order_id := p_client_reference_id::uuid;
    END IF;
  END IF;

  IF p_type IN ('checkout.session.completed', 'checkout.session.async_payment_succeeded') THEN
    IF p_payment_status IS DISTINCT FROM 'paid' THEN
      -- A delayed method completes unpaid; its async_payment_succeeded event credits it later.
      v_outcome := 'not_paid';
      v_detail := format('payment_status %s', coalesce(p_payment_status, 'missing'));
    ELSE
      UPDATE payment_orders o SET status = 'paid', paid_at = now(), updated_at = now()
       WHERE o.id = v_order_id AND o.stripe_session_id = p_session_id AND o.status = 'pending'
         AND o.amount_cents = p_amount_total AND o.currency = lower(p_currency)
      RETURNING o.* INTO v_order;
      IF FOUND THEN
        UPDATE credit_accounts a SET balance = a.balance + v_order.credits, updated_at = now()
         WHERE a.user_id = v_order.user_id
        RETURNING a.balance INTO v_balance;
        INSERT INTO credit_ledger (user_id, kind, amount, balance_after, reason, payment_order_id)
        VALUES (v_order.user_id, 'payment', v_order.credits, v_balance,
                format('Card payment: %s (order %s)', v_order.package_name, v_order.id), v_order.id);
        v_outcome := 'credited';
      ELSE
        -- Nothing matched: say why, crediting nothing.
        SELECT * INTO v_order FROM payment_orders o WHERE o.id = v_order_id;
        IF NOT FOUND OR v_order.stripe_session_id IS DISTINCT FROM p_session_id THEN
          v_outcome := 'unmatched';
          v_detail := 'no order of ours was made for this session under this client_reference_id and metadata.orderId';
        ELSIF v_order.status = 'paid' THEN
          v_outcome := 'already_paid';
        ELSIF v_order.status <> 'pending' THEN
          v_outcome := 'order_not_pending';
          v_detail := format('the order is %s', v_order.status);
        ELSIF v_order.amount_cents IS DISTINCT FROM p_amount_total THEN
          v_outcome := 'amount_mismatch';
          v_detail := format('the order asks %s, the session says %s', v_order.amount_cents,
                             coalesce(p_amount_total::text, 'nothing'));
        ELSE
          v_outcome := 'currency_mismatch';
          v_detail := format('the order asks %s, the session says %s', v_order.currency,
                             coalesce(p_currency, 'nothing'));
        END IF;
      END IF;
    END IF;
  ELSIF p_type = 'checkout.session.expired' THEN
    UPDATE payment_orders o SET status = 'expired', updated_at = now()
     WHERE o.id = v_order_id AND o.stripe_session_id = p_session_id AND o.status = 'pending';
    IF FOUND THEN
      v_outcome := 'order_expired';
    ELSE
      v_outcome := 'unmatched';
      v_detail := 'no pending order of ours was made for this session';
    END IF;
  ELSIF p_type = 'checkout.session.async_payment_failed' THEN
    UPDATE payment_orders o SET status = 'failed', failure_reason = 'the delayed payment failed', updated_at = now()
     WHERE o.id = v_order_id AND o.stripe_session_id = p_session_id AND o.status = 'pending';
    IF FOUND THEN
      v_outcome := 'order_failed';
    ELSE
      v_outcome := 'unmatched';
      v_detail := 'no pending order of ours was made for this session';
    END IF;
  ELSE
    v_outcome := 'ignored';
  END IF;

  UPDATE stripe_events SET outcome = v_outcome, outcome_detail = left(v_detail, 500) WHERE id = p_event_id;
  RETURN QUERY SELECT v_outcome, false, v_order_id;
END
$$;

-- Grants. The runtime role reads these tables and changes them only through the functions above.
GRANT SELECT ON redemption_batches, redemption_codes, credit_packages, payment_orders, stripe_events
  TO creditgate_app;
-- A user's own orders, read under row-level security as for the ledger (0003).
GRANT SELECT ON payment_orders TO creditgate_user;
ALTER TABLE payment_orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY runtime_all ON payment_orders TO creditgate_app USING (true) WITH CHECK (true);
CREATE POLICY own_rows ON payment_orders FOR SELECT TO creditgate_user USING (user_id = app_current_user_id());

REVOKE EXECUTE ON FUNCTION
  redeem_code(uuid, bytea),
  admin_create_redemption_batch(text, uuid, bigint, timestamptz, text, bytea[], text[]),
  admin_revoke_redemption_batch(text, uuid),
  credit_package_audit_view(credit_packages),
  admin_create_credit_package(text, uuid, text, bigint, bigint, text),
  admin_update_credit_package(text, uuid, text, bigint, bigint, text, boolean),
  create_payment_order(uuid, uuid),
  attach_checkout_session(uuid, text),
  fail_payment_order(uuid, text),
  record_stripe_event(text, text, boolean, text, text, text, text, text, bigint, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  redeem_code(uuid, bytea),
  admin_create_redemption_batch(text, uuid, bigint, timestamptz, text, bytea[], text[]),
  admin_revoke_redemption_batch(text, uuid),
  admin_create_credit_package(text, uuid, text, bigint, bigint, text),
  admin_update_credit_package(text, uuid, text, bigint, bigint, text, boolean),
  create_payment_order(uuid, uuid),
  attach_checkout_session(uuid, text),
  fail_payment_order(uuid, text),
  record_stripe_event(text, text, boolean, text, text, text, text, text, bigint, text)
TO creditgate_app;
