-- CreditGate core schema: users, balances, holds, the append-only ledger, usage, API keys, refresh
-- tokens, idempotency records, model prices and the audit log. Credits are bigint integers throughout.

-- Roles are cluster-wide, so they are created only when missing: several databases (and test runs)
-- may share one cluster. creditgate_app is the backend's runtime role; creditgate_user is assumed
-- for reads that must only ever see one user's rows (row-level security, migration 0003).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'creditgate_app') THEN
    CREATE ROLE creditgate_app NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'creditgate_user') THEN
    CREATE ROLE creditgate_user NOLOGIN;
  END IF;
END
$$;

-- Settings the SQL side reads; the backend writes them at boot from its environment.
CREATE TABLE app_settings (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO app_settings (key, value) VALUES ('signup_credits', '1000');

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email = btrim(email) AND length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- E-mail addresses are unique whatever their case.
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE INDEX users_created_at ON users (created_at, id);

-- One account per user. Balances follow TigerBeetle's posted/pending split: `balance` is what the
-- user owns, `held` what open holds have reserved of it; available = balance - held.
CREATE TABLE credit_accounts (
  user_id    uuid PRIMARY KEY REFERENCES users (id),
  balance    bigint NOT NULL CHECK (balance >= 0),
  held       bigint NOT NULL DEFAULT 0 CHECK (held >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT credit_accounts_available_not_negative CHECK (balance - held >= 0)
);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users (id),
  name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  -- The visible start of the key (e.g. cg_live_AbCd1234), for listing; never enough to use it.
  prefix        text NOT NULL,
  -- SHA-256 of the whole key: the key is 256 random bits, so a slow hash would add nothing.
  secret_hash   bytea NOT NULL UNIQUE,
  credit_limit  bigint CHECK (credit_limit > 0),
  credits_spent bigint NOT NULL DEFAULT 0 CHECK (credits_spent >= 0),
  credits_held  bigint NOT NULL DEFAULT 0 CHECK (credits_held >= 0),
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  -- The per-key limit is enforced by the database, not only by code.
  CONSTRAINT api_keys_within_credit_limit CHECK (credit_limit IS NULL OR credits_spent + credits_held <= credit_limit)
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at DESC);

-- A two-phase reservation: opened before the provider is called, then settled (charged), released,
-- or expired by the sweeper when the process that opened it died.
CREATE TABLE credit_holds (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users (id),
  api_key_id uuid REFERENCES api_keys (id),
  amount     bigint NOT NULL CHECK (amount > 0),
  status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled', 'released', 'expired')),
  charged    bigint NOT NULL DEFAULT 0 CHECK (charged >= 0 AND charged <= amount),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at  timestamptz,
  CHECK ((status = 'open') = (closed_at IS NULL)),
  CHECK (status = 'settled' OR charged = 0)
);
CREATE INDEX credit_holds_open_by_expiry ON credit_holds (expires_at) WHERE status = 'open';
CREATE INDEX credit_holds_user ON credit_holds (user_id, created_at DESC);

-- Append-only: every change of a balance, signed (+ grants and recharges, - charges), with the
-- balance it left. The rows of a user sum to its balance.
CREATE TABLE credit_ledger (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id         uuid NOT NULL REFERENCES users (id),
  kind            text NOT NULL CHECK (kind IN ('signup_grant', 'recharge', 'charge')),
  amount          bigint NOT NULL CHECK (amount <> 0),
  balance_after   bigint NOT NULL CHECK (balance_after >= 0),
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  actor_id        uuid REFERENCES users (id),
  hold_id         uuid UNIQUE REFERENCES credit_holds (id),
  idempotency_key text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'charge') = (amount < 0)),
  CHECK (kind <> 'charge' OR hold_id IS NOT NULL),
  CHECK (kind <> 'recharge' OR actor_id IS NOT NULL)
);
CREATE INDEX credit_ledger_user ON credit_ledger (user_id, id DESC);
-- A recharge key is used once per acting admin: a retried request finds the first row.
CREATE UNIQUE INDEX credit_ledger_recharge_key ON credit_ledger (actor_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- One row per AI attempt. The prompt is kept only as its length and a short preview.
CREATE TABLE usage_logs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id           uuid NOT NULL REFERENCES users (id),
  api_key_id        uuid REFERENCES api_keys (id),
  hold_id           uuid UNIQUE REFERENCES credit_holds (id),
  ledger_entry_id   bigint UNIQUE REFERENCES credit_ledger (id),
  request_id        text,
  endpoint          text NOT NULL CHECK (endpoint IN ('chat', 'openai')),
  model             text NOT NULL,
  status            text NOT NULL CHECK (status IN (
                      'success', 'provider_error', 'timeout', 'empty_response', 'client_closed',
                      'insufficient_credits', 'concurrent_spend')),
  error_code        text,
  credits_charged   bigint NOT NULL DEFAULT 0 CHECK (credits_charged >= 0),
  prompt_tokens     integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
  completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
  latency_ms        integer NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
  prompt_chars      integer NOT NULL DEFAULT 0 CHECK (prompt_chars >= 0),
  prompt_preview    text NOT NULL DEFAULT '' CHECK (length(prompt_preview) <= 80),
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- A charge always points at its ledger row, and only a success is charged.
  CHECK ((credits_charged > 0) = (ledger_entry_id IS NOT NULL)),
  CHECK (status = 'success' OR credits_charged = 0)
);
CREATE INDEX usage_logs_user ON usage_logs (user_id, created_at DESC, id DESC);
CREATE INDEX usage_logs_created ON usage_logs (created_at DESC, id DESC);

CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id),
  -- All tokens descending from one login; reuse of a rotated token revokes the whole family.
  family_id   uuid NOT NULL,
  token_hash  bytea NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  rotated_at  timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Stripe-style idempotency: the first response to a key is stored and replayed.
CREATE TABLE idempotency_records (
  user_id         uuid NOT NULL REFERENCES users (id),
  scope           text NOT NULL,
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash    bytea NOT NULL,
  status          text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'completed')),
  response_status integer,
  response_body   jsonb,
  -- While in progress, the lease after which a crashed request no longer blocks its key.
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL DEFAULT now() + interval '24 hours',
  PRIMARY KEY (user_id, scope, key),
  CHECK ((status = 'completed') = (response_status IS NOT NULL))
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);

-- Prices in credits (1 credit = USD 0.0001, docs/pricing.md). No row, no use: a model is never free
-- by accident. Per-1k rates may be fractional; charges are rounded up to whole credits.
CREATE TABLE model_prices (
  model                 text PRIMARY KEY CHECK (model ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  provider              text NOT NULL CHECK (provider IN ('deepseek', 'demo')),
  display_name          text NOT NULL,
  enabled               boolean NOT NULL DEFAULT true,
  request_credits       bigint NOT NULL CHECK (request_credits >= 0),
  input_credits_per_1k  numeric(14, 4) NOT NULL CHECK (input_credits_per_1k >= 0),
  output_credits_per_1k numeric(14, 4) NOT NULL CHECK (output_credits_per_1k >= 0),
  max_output_tokens     integer NOT NULL CHECK (max_output_tokens > 0),
  context_tokens        integer NOT NULL CHECK (context_tokens > 0),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  updated_by            uuid REFERENCES users (id),
  CONSTRAINT model_prices_not_free CHECK (request_credits > 0 OR input_credits_per_1k > 0 OR output_credits_per_1k > 0)
);

-- Who changed what and why, for the admin changes that are not credit movements (those are in the ledger).
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id    uuid REFERENCES users (id),
  action      text NOT NULL,
  target_type text NOT NULL,
  target_id   text NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  reason      text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log (created_at DESC, id DESC);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id DESC);

-- The ledger and the audit log are append-only, whoever asks.
CREATE FUNCTION forbid_change_of_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER credit_ledger_append_only BEFORE UPDATE OR DELETE ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION forbid_change_of_append_only();
CREATE TRIGGER credit_ledger_no_truncate BEFORE TRUNCATE ON credit_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change_of_append_only();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_change_of_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change_of_append_only();
