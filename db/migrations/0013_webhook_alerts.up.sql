-- Signed webhook alerts through a transactional outbox (issue 16, docs/alerts.md).
--
-- 1. `webhook_events` is the outbox: each event is inserted by the same transaction as the change that
--    causes it — by triggers on the ledger (credits.added) and on balances (credits.low), and by the
--    channel functions (channel.down, channel.up) — so an event exists exactly when its change
--    committed. `dedupe_key` makes "once per crossing" a constraint, not a hope.
-- 2. `webhook_deliveries` fans each event out to the endpoints subscribed to its type, in the same
--    transaction; the backend's dispatcher claims due deliveries with FOR UPDATE SKIP LOCKED (several
--    instances never send one twice at once) and leases them, so a delivery whose sender died is due
--    again when the lease ends.
-- 3. Endpoints are created, deleted, tested and retried only through admin functions that verify the
--    admin's access token (0008) and audit the change. Signing secrets are sealed by the backend under
--    SECRETS_KEY; the database never sees one in clear.

CREATE TABLE webhook_endpoints (
  id                uuid PRIMARY KEY,
  url               text NOT NULL CHECK (url ~ '^https?://[^\s@/]+(/[^\s]*)?$' AND length(url) <= 2048),
  events            text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 10
                                           AND events <@ ARRAY['credits.low', 'credits.added', 'budget.threshold',
                                                               'channel.down', 'channel.up']),
  -- 'v1.<iv>.<tag>.<ciphertext>' (base64url), sealed under SECRETS_KEY for this endpoint's id.
  secret_ciphertext text NOT NULL CHECK (length(secret_ciphertext) <= 1024),
  description       text CHECK (length(description) <= 200),
  created_by        uuid REFERENCES users (id),
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_events (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type       text NOT NULL CHECK (type IN ('credits.low', 'credits.added', 'budget.threshold', 'channel.down',
                                           'channel.up', 'webhook.test')),
  data       jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  -- One event per crossing: e.g. 'credits.low:<user>:<n>'. NULL: no deduplication (every recharge).
  dedupe_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_created ON webhook_events (created_at DESC);

CREATE TABLE webhook_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id         uuid NOT NULL REFERENCES webhook_events (id),
  endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When it is due; while a sender holds it, the end of that sender's lease.
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text CHECK (length(last_error) <= 300),
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);

-- Users whose available credits fell under the threshold and have not risen above it since: the
-- state that makes credits.low fire once per crossing.
CREATE TABLE credit_low_alerts (
  user_id   uuid PRIMARY KEY REFERENCES users (id),
  crossings bigint NOT NULL DEFAULT 1,
  low       boolean NOT NULL DEFAULT true,
  since     timestamptz NOT NULL DEFAULT now()
);

-- Channels the shared health says are down (a cool-down began on some instance, or an upstream
-- refused the key or account), so channel.down and channel.up fire once per change, not per instance.
ALTER TABLE channels ADD COLUMN down_since timestamptz;

INSERT INTO app_settings (key, value) VALUES ('low_credits_threshold', '100');

-- Writes an event and its deliveries to the endpoints subscribed to its type (or to one endpoint: a
-- test event), in the caller's transaction. A dedupe key already used: nothing, NULL answered.
CREATE FUNCTION enqueue_webhook_event(p_type text, p_data jsonb, p_dedupe_key text DEFAULT NULL,
                                      p_endpoint_id uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_event_id uuid;
BEGIN
  INSERT INTO webhook_events (type, data, dedupe_key) VALUES (p_type, p_data, p_dedupe_key)
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id INTO v_event_id;
  IF v_event_id IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO webhook_deliveries (event_id, endpoint_id)
  SELECT v_event_id, e.id FROM webhook_endpoints e
   WHERE (p_endpoint_id IS NULL AND p_type = ANY (e.events)) OR e.id = p_endpoint_id;
  RETURN v_event_id;
END
$$;

-- credits.added: every recharge, redemption and payment, with the balance it left.
CREATE FUNCTION raise_credits_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM enqueue_webhook_event('credits.added', jsonb_build_object(
    'userId', NEW.user_id, 'email', (SELECT email FROM users WHERE id = NEW.user_id),
    'amount', NEW.amount, 'source', NEW.kind, 'balance', NEW.balance_after, 'ledgerEntryId', NEW.id::text));
  RETURN NULL;
END
$$;
CREATE TRIGGER credit_ledger_raises_credits_added AFTER INSERT ON credit_ledger
  FOR EACH ROW WHEN (NEW.kind IN ('recharge', 'redeem', 'payment')) EXECUTE FUNCTION raise_credits_added();

-- credits.low: a charge (balance down) that leaves available credits under the threshold, once until
-- they are back at or above it. Holds move `held` only and do not fire this: a chat's reservation is
-- not spending.
CREATE FUNCTION raise_credits_low() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_threshold bigint := coalesce((SELECT value::bigint FROM app_settings WHERE key = 'low_credits_threshold'), 100);
  v_available bigint := NEW.balance - NEW.held;
  v_crossings bigint;
BEGIN
  IF v_available >= v_threshold THEN
    UPDATE credit_low_alerts SET low = false WHERE user_id = NEW.user_id AND low;
  ELSIF NEW.balance < OLD.balance THEN
    INSERT INTO credit_low_alerts AS s (user_id) VALUES (NEW.user_id)
    ON CONFLICT (user_id) DO UPDATE SET low = true, crossings = s.crossings + 1, since = now() WHERE NOT s.low
    RETURNING crossings INTO v_crossings;
    IF v_crossings IS NOT NULL THEN
      PERFORM enqueue_webhook_event('credits.low', jsonb_build_object(
        'userId', NEW.user_id, 'email', (SELECT email FROM users WHERE id = NEW.user_id),
        'available', v_available, 'threshold', v_threshold),
        'credits.low:' || NEW.user_id || ':' || v_crossings);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER credit_accounts_raise_credits_low AFTER UPDATE OF balance ON credit_accounts
  FOR EACH ROW EXECUTE FUNCTION raise_credits_low();

-- channel.down / channel.up when the shared state changes: called by an instance whose health view
-- changed (a cool-down began, a probe answered). True when this call changed it (and raised the event).
CREATE FUNCTION channel_health_changed(p_id uuid, p_down boolean, p_reason text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_channel channels;
BEGIN
  UPDATE channels SET down_since = CASE WHEN p_down THEN now() END
   WHERE id = p_id AND (down_since IS NULL) = p_down
  RETURNING * INTO v_channel;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM enqueue_webhook_event(CASE WHEN p_down THEN 'channel.down' ELSE 'channel.up' END,
    jsonb_build_object('channelId', v_channel.id, 'name', v_channel.name, 'reason', left(p_reason, 300)));
  RETURN true;
END
$$;

-- 0011's function, now also marking the channel down (and raising channel.down if it was up).
CREATE OR REPLACE FUNCTION disable_channel_after_refusal(p_id uuid, p_reason text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE channels SET enabled = false, disabled_reason = left(p_reason, 500), disabled_at = now(), updated_at = now()
   WHERE id = p_id AND enabled;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
  VALUES (NULL, 'channel.disabled', 'channel', p_id::text, '{}'::jsonb, left(p_reason, 500));
  PERFORM channel_health_changed(p_id, true, 'disabled: ' || p_reason);
  RETURN true;
END
$$;

-- An admin enabling a channel that was down raises channel.up (0011's function otherwise unchanged).
CREATE FUNCTION raise_channel_up_on_enable() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM channel_health_changed(NEW.id, false, 'enabled by an admin');
  RETURN NULL;
END
$$;
CREATE TRIGGER channels_enabled_raise_channel_up AFTER UPDATE OF enabled ON channels
  FOR EACH ROW WHEN (NEW.enabled AND NOT OLD.enabled) EXECUTE FUNCTION raise_channel_up_on_enable();

CREATE FUNCTION admin_create_webhook(p_actor_token text, p_id uuid, p_url text, p_events text[],
                                     p_secret_ciphertext text, p_description text)
RETURNS SETOF webhook_endpoints
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_after webhook_endpoints;
BEGIN
  INSERT INTO webhook_endpoints (id, url, events, secret_ciphertext, description, created_by)
  VALUES (p_id, p_url, p_events, p_secret_ciphertext, p_description, v_actor_id)
  RETURNING * INTO v_after;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
  VALUES (v_actor_id, 'webhook.created', 'webhook', p_id::text,
          jsonb_build_object('url', p_url, 'events', to_jsonb(p_events)));
  RETURN NEXT v_after;
END
$$;

-- Deleting an endpoint deletes its deliveries (their events stay).
CREATE FUNCTION admin_delete_webhook(p_actor_token text, p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_before webhook_endpoints;
BEGIN
  DELETE FROM webhook_endpoints WHERE id = p_id RETURNING * INTO v_before;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'webhook % does not exist', p_id USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
  VALUES (v_actor_id, 'webhook.deleted', 'webhook', p_id::text,
          jsonb_build_object('url', v_before.url, 'events', to_jsonb(v_before.events)));
END
$$;

-- A `webhook.test` event for one endpoint; answers the event id.
CREATE FUNCTION admin_send_webhook_test(p_actor_token text, p_id uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = p_id) THEN
    RAISE EXCEPTION 'webhook % does not exist', p_id USING ERRCODE = 'no_data_found';
  END IF;
  RETURN enqueue_webhook_event('webhook.test',
    jsonb_build_object('endpointId', p_id, 'requestedBy', v_actor_id, 'message', 'A test event from CreditGate.'),
    NULL, p_id);
END
$$;

-- Due now: a pending delivery goes first in line, a failed one gets one more try.
CREATE FUNCTION admin_retry_webhook_delivery(p_actor_token text, p_endpoint_id uuid, p_delivery_id bigint)
RETURNS SETOF webhook_deliveries
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_after webhook_deliveries;
BEGIN
  UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now()
   WHERE id = p_delivery_id AND endpoint_id = p_endpoint_id AND status <> 'delivered'
  RETURNING * INTO v_after;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no undelivered delivery % for webhook %', p_delivery_id, p_endpoint_id
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
  VALUES (v_actor_id, 'webhook.delivery_retried', 'webhook', p_endpoint_id::text,
          jsonb_build_object('deliveryId', p_delivery_id));
  RETURN NEXT v_after;
END
$$;

-- The runtime role: reads endpoints and events, and updates only the delivery bookkeeping (claims,
-- outcomes) — it cannot make an event, change what one says, or point an endpoint elsewhere.
GRANT SELECT ON webhook_endpoints, webhook_events, webhook_deliveries, credit_low_alerts TO creditgate_app;
GRANT UPDATE (status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_error, delivered_at)
  ON webhook_deliveries TO creditgate_app;
REVOKE EXECUTE ON FUNCTION
  enqueue_webhook_event(text, jsonb, text, uuid),
  raise_credits_added(),
  raise_credits_low(),
  channel_health_changed(uuid, boolean, text),
  raise_channel_up_on_enable(),
  admin_create_webhook(text, uuid, text, text[], text, text),
  admin_delete_webhook(text, uuid),
  admin_send_webhook_test(text, uuid),
  admin_retry_webhook_delivery(text, uuid, bigint)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  channel_health_changed(uuid, boolean, text),
  admin_create_webhook(text, uuid, text, text[], text, text),
  admin_delete_webhook(text, uuid),
  admin_send_webhook_test(text, uuid),
  admin_retry_webhook_delivery(text, uuid, bigint)
TO creditgate_app;
