-- Upstream channels (issue 15, docs/channels.md): several ways to reach a model — DeepSeek accounts and
-- OpenAI-compatible services — tried in priority order with failover inside one hold.
--
-- 1. `channels`: one row per upstream. The API key is stored encrypted by the backend (AES-256-GCM under
--    SECRETS_KEY, bound to the row's id); the database never sees it in clear. The built-in `deepseek`
--    channel is the row that stands for DEEPSEEK_API_KEY + DEEPSEEK_BASE_URL: its key stays in the
--    environment, the row keeps what admins set on it (priority, weight, enabled).
-- 2. Admins change channels only through functions that verify their access token (0008) and audit
--    the change; the runtime role reads the table and may only disable a channel whose upstream
--    refused its key or account (401, 402) — never enable one.
-- 3. Usage rows name the channel that answered (or last failed) and how many upstream calls the
--    request made; settle and release take both.

CREATE TABLE channels (
  id                 uuid PRIMARY KEY,
  name               text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._ -]{0,62}[A-Za-z0-9._-]$|^[A-Za-z0-9]$'),
  kind               text NOT NULL CHECK (kind IN ('deepseek', 'openai-compatible')),
  built_in           boolean NOT NULL DEFAULT false,
  base_url           text NOT NULL CHECK (base_url ~ '^https?://[^\s]+$' AND length(base_url) <= 2048),
  -- 'v1.<iv>.<tag>.<ciphertext>' (base64url); NULL only for the built-in channel.
  api_key_ciphertext text CHECK (length(api_key_ciphertext) <= 8192),
  -- The key's last four characters: all that is ever shown of it.
  api_key_last4      text NOT NULL CHECK (length(api_key_last4) <= 4),
  -- The public model ids served; NULL only for the built-in channel, which serves every DeepSeek model
  -- of the catalog (so a model added to the catalog is served without editing the channel).
  models             text[] CHECK (models IS NULL OR (cardinality(models) BETWEEN 1 AND 200
                                                      AND array_position(models, NULL) IS NULL)),
  -- {public id: upstream model name}; a model not named here calls the catalog's upstream model.
  upstream_models    jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(upstream_models) = 'object'),
  priority           integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 1000),
  weight             integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
  enabled            boolean NOT NULL DEFAULT true,
  -- Why it is disabled, when an upstream refusal (not an admin) disabled it.
  disabled_reason    text CHECK (length(disabled_reason) <= 500),
  disabled_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT channels_built_in_shape CHECK (
    CASE WHEN built_in THEN name = 'deepseek' AND kind = 'deepseek' AND api_key_ciphertext IS NULL AND models IS NULL
         ELSE lower(name) <> 'deepseek' AND api_key_ciphertext IS NOT NULL AND models IS NOT NULL END)
);
CREATE UNIQUE INDEX channels_name_unique ON channels (lower(name));
CREATE UNIQUE INDEX channels_one_built_in ON channels (built_in) WHERE built_in;

-- How a usage row was served. NULL channel: no upstream was called (refused, demo mode, older rows).
ALTER TABLE usage_logs
  ADD COLUMN channel text,
  ADD COLUMN attempts smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0);

-- The channel as an audit entry sees it: everything but the key, of which only the last four.
CREATE FUNCTION channel_audit_view(p_channel channels) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT CASE WHEN p_channel.id IS NULL THEN NULL ELSE jsonb_build_object(
    'name', p_channel.name, 'kind', p_channel.kind, 'baseUrl', p_channel.base_url,
    'apiKeyLast4', p_channel.api_key_last4, 'models', to_jsonb(p_channel.models),
    'upstreamModels', p_channel.upstream_models, 'priority', p_channel.priority, 'weight', p_channel.weight,
    'enabled', p_channel.enabled) END
$$;

CREATE FUNCTION admin_create_channel(
  p_actor_token text, p_id uuid, p_name text, p_kind text, p_base_url text, p_api_key_ciphertext text,
  p_api_key_last4 text, p_models text[], p_upstream_models jsonb, p_priority integer, p_weight integer,
  p_enabled boolean)
RETURNS SETOF channels
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_after channels;
BEGIN
  INSERT INTO channels (id, name, kind, base_url, api_key_ciphertext, api_key_last4, models, upstream_models,
                        priority, weight, enabled)
  VALUES (p_id, p_name, p_kind, p_base_url, p_api_key_ciphertext, p_api_key_last4, p_models,
          coalesce(p_upstream_models, '{}'::jsonb), p_priority, p_weight, p_enabled)
  RETURNING * INTO v_after;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
  VALUES (v_actor_id, 'channel.created', 'channel', p_id::text, jsonb_build_object('after', channel_audit_view(v_after)));
  RETURN NEXT v_after;
END
$$;

-- A NULL argument keeps the field as it is. The built-in channel takes only priority, weight and
-- enabled: the rest of it is the environment's (raises check_violation otherwise). Enabling a
-- channel clears the upstream refusal that disabled it. No row: no_data_found.
CREATE FUNCTION admin_update_channel(
  p_actor_token text, p_id uuid, p_name text, p_base_url text, p_api_key_ciphertext text, p_api_key_last4 text,
  p_models text[], p_upstream_models jsonb, p_priority integer, p_weight integer, p_enabled boolean)
RETURNS SETOF channels
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_before channels;
  v_after channels;
BEGIN
  SELECT * INTO v_before FROM channels WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'channel % does not exist', p_id USING ERRCODE = 'no_data_found';
  END IF;
  IF v_before.built_in AND (p_name IS NOT NULL OR p_base_url IS NOT NULL OR p_api_key_ciphertext IS NOT NULL
                            OR p_models IS NOT NULL OR p_upstream_models IS NOT NULL) THEN
    RAISE EXCEPTION 'the built-in channel takes its name, URL, key and models from the environment'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'channels_built_in_shape';
  END IF;
  UPDATE channels
     SET name = coalesce(p_name, name),
         base_url = coalesce(p_base_url, base_url),
         api_key_ciphertext = coalesce(p_api_key_ciphertext, api_key_ciphertext),
         api_key_last4 = CASE WHEN p_api_key_ciphertext IS NULL THEN api_key_last4 ELSE p_api_key_last4 END,
         models = coalesce(p_models, models),
         upstream_models = coalesce(p_upstream_models, upstream_models),
         priority = coalesce(p_priority, priority),
         weight = coalesce(p_weight, weight),
         enabled = coalesce(p_enabled, enabled),
         disabled_reason = CASE WHEN p_enabled THEN NULL ELSE disabled_reason END,
         disabled_at = CASE WHEN p_enabled THEN NULL ELSE disabled_at END,
         updated_at = now()
   WHERE id = p_id
  RETURNING * INTO v_after;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
  VALUES (v_actor_id, 'channel.updated', 'channel', p_id::text,
          jsonb_build_object('before', channel_audit_view(v_before), 'after', channel_audit_view(v_after),
                             'apiKeyReplaced', p_api_key_ciphertext IS NOT NULL));
  RETURN NEXT v_after;
END
$$;

-- The built-in channel cannot be deleted (unset DEEPSEEK_API_KEY instead): check_violation.
CREATE FUNCTION admin_delete_channel(p_actor_token text, p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_before channels;
BEGIN
  SELECT * INTO v_before FROM channels WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'channel % does not exist', p_id USING ERRCODE = 'no_data_found';
  END IF;
  IF v_before.built_in THEN
    RAISE EXCEPTION 'the built-in channel is defined by DEEPSEEK_API_KEY; unset it to remove the channel'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'channels_built_in_shape';
  END IF;
  DELETE FROM channels WHERE id = p_id;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
  VALUES (v_actor_id, 'channel.deleted', 'channel', p_id::text, jsonb_build_object('before', channel_audit_view(v_before)));
END
$$;

-- An upstream refused the channel's key or account (401, 402): the channel stays off until an admin
-- enables it. True when this call disabled it (so the alert is raised once, by one instance).
CREATE FUNCTION disable_channel_after_refusal(p_id uuid, p_reason text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE channels SET enabled = false, disabled_reason = left(p_reason, 500), disabled_at = now(), updated_at = now()
   WHERE id = p_id AND enabled;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
  VALUES (NULL, 'channel.disabled', 'channel', p_id::text, '{}'::jsonb, left(p_reason, 500));
  RETURN true;
END
$$;

-- The row of the built-in channel, made when DEEPSEEK_API_KEY is first set; its shown URL and key
-- ending follow the environment. What admins set on it (priority, weight, enabled) is kept.
CREATE FUNCTION ensure_built_in_channel(p_id uuid, p_base_url text, p_api_key_last4 text) RETURNS SETOF channels
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO channels (id, name, kind, built_in, base_url, api_key_last4)
  VALUES (p_id, 'deepseek', 'deepseek', true, p_base_url, p_api_key_last4)
  ON CONFLICT (built_in) WHERE built_in DO UPDATE
    SET base_url = EXCLUDED.base_url, api_key_last4 = EXCLUDED.api_key_last4
    WHERE channels.base_url IS DISTINCT FROM EXCLUDED.base_url
       OR channels.api_key_last4 IS DISTINCT FROM EXCLUDED.api_key_last4;
  RETURN QUERY SELECT * FROM channels WHERE built_in;
END
$$;

-- Settle and release with the channel and the attempt count (0010's functions plus two fields).
DROP FUNCTION settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                                 integer, integer, integer, boolean);
CREATE FUNCTION settle_hold_logged(
  p_hold_id uuid, p_charge bigint, p_reason text,
  p_request_id text, p_endpoint text, p_model text, p_status text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text, p_error_code text DEFAULT NULL,
  p_cache_hit_tokens integer DEFAULT 0, p_cache_miss_tokens integer DEFAULT 0, p_reasoning_tokens integer DEFAULT 0,
  p_peak boolean DEFAULT NULL, p_channel text DEFAULT NULL, p_attempts integer DEFAULT 0)
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
                          prompt_preview, cache_hit_tokens, cache_miss_tokens, reasoning_tokens, peak, channel, attempts)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, v_ledger_id, p_request_id, p_endpoint, p_model, p_status,
          p_error_code, v_charged, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview,
          p_cache_hit_tokens, p_cache_miss_tokens, p_reasoning_tokens, p_peak, p_channel, p_attempts)
  RETURNING id INTO v_usage_id;
  RETURN QUERY
    SELECT v_usage_id, v_charged, a.balance - a.held FROM credit_accounts a WHERE a.user_id = v_hold.user_id;
END
$$;

DROP FUNCTION release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean);
CREATE FUNCTION release_hold_logged(
  p_hold_id uuid,
  p_request_id text, p_endpoint text, p_model text, p_status text, p_error_code text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text, p_peak boolean DEFAULT NULL,
  p_channel text DEFAULT NULL, p_attempts integer DEFAULT 0)
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
                          credits_charged, prompt_tokens, completion_tokens, latency_ms, prompt_chars, prompt_preview,
                          peak, channel, attempts)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, p_request_id, p_endpoint, p_model, p_status, p_error_code,
          0, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview, p_peak,
          p_channel, p_attempts)
  RETURNING id INTO v_usage_id;
  RETURN v_usage_id;
END
$$;

GRANT SELECT ON channels TO creditgate_app;
REVOKE EXECUTE ON FUNCTION
  channel_audit_view(channels),
  admin_create_channel(text, uuid, text, text, text, text, text, text[], jsonb, integer, integer, boolean),
  admin_update_channel(text, uuid, text, text, text, text, text[], jsonb, integer, integer, boolean),
  admin_delete_channel(text, uuid),
  disable_channel_after_refusal(uuid, text),
  ensure_built_in_channel(uuid, text, text),
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                     integer, integer, integer, boolean, text, integer),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean, text, integer)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  admin_create_channel(text, uuid, text, text, text, text, text, text[], jsonb, integer, integer, boolean),
  admin_update_channel(text, uuid, text, text, text, text, text[], jsonb, integer, integer, boolean),
  admin_delete_channel(text, uuid),
  disable_channel_after_refusal(uuid, text),
  ensure_built_in_channel(uuid, text, text),
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                     integer, integer, integer, boolean, text, integer),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean, text, integer)
TO creditgate_app;
