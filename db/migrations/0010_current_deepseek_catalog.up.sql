-- Today's DeepSeek (issue 14). DeepSeek retired `deepseek-chat` and `deepseek-reasoner` on 2026-07-24
-- 15:59 UTC; its models are now `deepseek-flash` (DeepSeek-V4.1-Flash) and `deepseek-v4-pro`, priced by
-- cache hits and by peak and off-peak hours. Sources, read 2026-11-30 (docs/pricing.md cites them):
--   * Models & Pricing, https://api-docs.deepseek.com/quick_start/pricing (snapshot 2026-11-15) and the
--     Chinese page https://api-docs.deepseek.com/zh-cn/quick_start/pricing/, footnote 2: off-peak is half
--     of peak; peak is Monday–Friday 09:00–12:00 and 14:00–18:00 Beijing time, except China's statutory
--     holidays; weekends and statutory holidays are off-peak all day.
--   * 国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号, 2025-11-04,
--     https://www.gov.cn/zhengce/content/202511/content_7047090.htm (the 2026 holidays below).
--
-- 1. The catalog as data: a model row names the upstream model it calls, the request fields it adds,
--    its default and maximum output, whether it reads images, and its prices.
-- 2. Prices by cache hit and by peak: a cached-input rate (NULL = the input rate) and an off-peak
--    percentage (100 = no discount), and one peak calendar for the deployment.
-- 3. Usage rows record cache hits and misses, reasoning tokens, and whether the request was priced at
--    peak; settle and release take them, called with named arguments.

ALTER TABLE model_prices
  ADD COLUMN upstream_model text CHECK (upstream_model ~ '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$'),
  ADD COLUMN request_fields jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(request_fields) = 'object'),
  ADD COLUMN default_output_tokens integer CHECK (default_output_tokens > 0),
  ADD COLUMN reads_images boolean NOT NULL DEFAULT false,
  ADD COLUMN cached_input_credits_per_1k numeric(14, 4) CHECK (cached_input_credits_per_1k >= 0),
  ADD COLUMN off_peak_percent smallint NOT NULL DEFAULT 100 CHECK (off_peak_percent BETWEEN 1 AND 100);
UPDATE model_prices SET default_output_tokens = least(4096, max_output_tokens);
ALTER TABLE model_prices ALTER COLUMN default_output_tokens SET NOT NULL;
ALTER TABLE model_prices ADD CONSTRAINT model_prices_default_output_within_max
  CHECK (default_output_tokens <= max_output_tokens);

-- DeepSeek's October 2026 peak list prices at 1 credit = USD 0.0001 (USD per 1M tokens ÷ 10 = credits
-- per 1k): flash 0.006 / 0.30 / 1.20 → 0.06 / 3.0 / 12.0; v4-pro 0.044 / 1.32 / 3.96 → 0.44 / 13.2 / 39.6.
-- Context 1M tokens, output up to 384K (393,216). DeepSeek documents no default output length for V4:
-- the defaults below keep the worst-case hold of a new user's first chat within the 1,000 signup
-- credits (flash 32,768 × 12 / 1000 = 394; v4-pro 16,384 × 39.6 / 1000 = 649) and are admin-editable.
INSERT INTO model_prices
  (model, provider, display_name, upstream_model, request_credits, cached_input_credits_per_1k, input_credits_per_1k,
   output_credits_per_1k, off_peak_percent, default_output_tokens, max_output_tokens, context_tokens, reads_images)
VALUES
  ('deepseek-flash',  'deepseek', 'DeepSeek-V4.1-Flash', NULL, 0, 0.06, 3.0, 12.0, 50, 32768, 393216, 1048576, true),
  ('deepseek-v4-pro', 'deepseek', 'DeepSeek-V4-Pro',     NULL, 0, 0.44, 13.2, 39.6, 50, 16384, 393216, 1048576, false);

-- The retired names keep working for old clients, as the flash model with thinking fixed off or on.
UPDATE model_prices
   SET display_name = CASE model WHEN 'deepseek-chat' THEN 'deepseek-chat (V4.1-Flash, thinking off)'
                                 ELSE 'deepseek-reasoner (V4.1-Flash, thinking on)' END,
       upstream_model = 'deepseek-flash',
       request_fields = CASE model WHEN 'deepseek-chat' THEN '{"thinking": {"type": "disabled"}}'::jsonb
                                   ELSE '{"thinking": {"type": "enabled"}}'::jsonb END,
       request_credits = 0, cached_input_credits_per_1k = 0.06, input_credits_per_1k = 3.0,
       output_credits_per_1k = 12.0, off_peak_percent = 50,
       default_output_tokens = CASE model WHEN 'deepseek-chat' THEN 8192 ELSE 32768 END,
       max_output_tokens = 393216, context_tokens = 1048576, reads_images = true, updated_at = now()
 WHERE model IN ('deepseek-chat', 'deepseek-reasoner');

-- One peak calendar for the deployment (a single row). Times are local to `time_zone`; `weekdays` are
-- ISO numbers (1 = Monday); `ranges` are [{"from": "09:00", "to": "12:00"}] with `to` up to "24:00";
-- `holidays` are off-peak all day. An empty `ranges` makes every hour off-peak.
CREATE TABLE peak_calendar (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  time_zone  text NOT NULL,
  weekdays   smallint[] NOT NULL CHECK (weekdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]),
  ranges     jsonb NOT NULL CHECK (jsonb_typeof(ranges) = 'array'),
  holidays   date[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id)
);
-- China's statutory holidays of 2026 (the notice above): every off day, weekends included. The six
-- make-up working days of 2026 (Jan 4, Feb 14, Feb 28, May 9, Sep 20, Oct 10) all fall on a Saturday or
-- Sunday, and DeepSeek's footnote makes weekends off-peak all day, so none of them is peak and the
-- calendar needs no "extra working day" list. The 2027 notice had not been published in any source
-- available on 2026-11-30; admins add its dates with PUT /api/admin/pricing/peak-hours.
INSERT INTO peak_calendar (time_zone, weekdays, ranges, holidays) VALUES (
  'Asia/Shanghai',
  ARRAY[1, 2, 3, 4, 5]::smallint[],
  '[{"from": "09:00", "to": "12:00"}, {"from": "14:00", "to": "18:00"}]'::jsonb,
  ARRAY[
    '2026-01-01', '2026-01-02', '2026-01-03',
    '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21',
    '2026-02-22', '2026-02-23',
    '2026-04-04', '2026-04-05', '2026-04-06',
    '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
    '2026-06-19', '2026-06-20', '2026-06-21',
    '2026-09-25', '2026-09-26', '2026-09-27',
    '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'
  ]::date[]
);

ALTER TABLE usage_logs
  ADD COLUMN cache_hit_tokens integer NOT NULL DEFAULT 0 CHECK (cache_hit_tokens >= 0),
  ADD COLUMN cache_miss_tokens integer NOT NULL DEFAULT 0 CHECK (cache_miss_tokens >= 0),
  ADD COLUMN reasoning_tokens integer NOT NULL DEFAULT 0 CHECK (reasoning_tokens >= 0),
  -- NULL for rows written before prices depended on the hour.
  ADD COLUMN peak boolean;

-- The price of one model, set by an admin: the admin's access token is verified (0008), the row
-- written, the change audited with its old and new values. A new model gets a row calling the
-- upstream model of its own name.
DROP FUNCTION admin_set_model_price(text, text, boolean, bigint, numeric, numeric, text);
CREATE FUNCTION admin_set_model_price(
  p_actor_token text, p_model text, p_enabled boolean, p_request_credits bigint,
  p_input_per_1k numeric, p_cached_input_per_1k numeric, p_output_per_1k numeric, p_off_peak_percent integer,
  p_default_output_tokens integer, p_reason text)
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
           cached_input_credits_per_1k = p_cached_input_per_1k, output_credits_per_1k = p_output_per_1k,
           off_peak_percent = p_off_peak_percent,
           default_output_tokens = coalesce(p_default_output_tokens, default_output_tokens),
           updated_at = now(), updated_by = v_actor_id
     WHERE model = p_model
    RETURNING * INTO v_after;
  ELSE
    INSERT INTO model_prices (model, provider, display_name, enabled, request_credits, input_credits_per_1k,
                              cached_input_credits_per_1k, output_credits_per_1k, off_peak_percent,
                              default_output_tokens, max_output_tokens, context_tokens, updated_by)
    VALUES (p_model, 'deepseek', p_model, p_enabled, p_request_credits, p_input_per_1k, p_cached_input_per_1k,
            p_output_per_1k, p_off_peak_percent, coalesce(p_default_output_tokens, 8192), 393216, 1048576, v_actor_id)
    RETURNING * INTO v_after;
  END IF;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
  VALUES (v_actor_id, 'model.price_changed', 'model', p_model,
          jsonb_build_object(
            'before', CASE WHEN v_before.model IS NULL THEN NULL ELSE jsonb_build_object(
              'enabled', v_before.enabled, 'requestCredits', v_before.request_credits,
              'inputCreditsPer1k', v_before.input_credits_per_1k,
              'cachedInputCreditsPer1k', v_before.cached_input_credits_per_1k,
              'outputCreditsPer1k', v_before.output_credits_per_1k, 'offPeakPercent', v_before.off_peak_percent,
              'defaultOutputTokens', v_before.default_output_tokens) END,
            'after', jsonb_build_object(
              'enabled', v_after.enabled, 'requestCredits', v_after.request_credits,
              'inputCreditsPer1k', v_after.input_credits_per_1k,
              'cachedInputCreditsPer1k', v_after.cached_input_credits_per_1k,
              'outputCreditsPer1k', v_after.output_credits_per_1k, 'offPeakPercent', v_after.off_peak_percent,
              'defaultOutputTokens', v_after.default_output_tokens)),
          nullif(btrim(coalesce(p_reason, '')), ''));
  RETURN NEXT v_after;
END
$$;

-- The peak calendar, set by an admin; audited like a price. An unknown time zone raises 22023.
CREATE FUNCTION admin_set_peak_calendar(
  p_actor_token text, p_time_zone text, p_weekdays smallint[], p_ranges jsonb, p_holidays date[], p_reason text)
RETURNS SETOF peak_calendar
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_actor_id uuid := admin_actor_from_token(p_actor_token);
  v_before peak_calendar;
  v_after peak_calendar;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = p_time_zone) THEN
    RAISE EXCEPTION 'unknown time zone %', p_time_zone USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO v_before FROM peak_calendar FOR UPDATE;
  UPDATE peak_calendar
     SET time_zone = p_time_zone, weekdays = p_weekdays, ranges = p_ranges,
         holidays = ARRAY(SELECT DISTINCT d FROM unnest(p_holidays) d ORDER BY d),
         updated_at = now(), updated_by = v_actor_id
  RETURNING * INTO v_after;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, details, reason)
  VALUES (v_actor_id, 'pricing.peak_hours_changed', 'pricing', 'peak-hours',
          jsonb_build_object(
            'before', jsonb_build_object('timeZone', v_before.time_zone, 'weekdays', v_before.weekdays,
                                         'ranges', v_before.ranges, 'holidays', v_before.holidays),
            'after', jsonb_build_object('timeZone', v_after.time_zone, 'weekdays', v_after.weekdays,
                                        'ranges', v_after.ranges, 'holidays', v_after.holidays)),
          nullif(btrim(coalesce(p_reason, '')), ''));
  RETURN NEXT v_after;
END
$$;

-- Settle with the token breakdown and the price tier of the attempt (0009's function plus four fields).
DROP FUNCTION settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text);
CREATE FUNCTION settle_hold_logged(
  p_hold_id uuid, p_charge bigint, p_reason text,
  p_request_id text, p_endpoint text, p_model text, p_status text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text, p_error_code text DEFAULT NULL,
  p_cache_hit_tokens integer DEFAULT 0, p_cache_miss_tokens integer DEFAULT 0, p_reasoning_tokens integer DEFAULT 0,
  p_peak boolean DEFAULT NULL)
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
                          prompt_preview, cache_hit_tokens, cache_miss_tokens, reasoning_tokens, peak)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, v_ledger_id, p_request_id, p_endpoint, p_model, p_status,
          p_error_code, v_charged, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview,
          p_cache_hit_tokens, p_cache_miss_tokens, p_reasoning_tokens, p_peak)
  RETURNING id INTO v_usage_id;
  RETURN QUERY
    SELECT v_usage_id, v_charged, a.balance - a.held FROM credit_accounts a WHERE a.user_id = v_hold.user_id;
END
$$;

-- Release with the price tier of the attempt (0007's function plus one field).
DROP FUNCTION release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text);
CREATE FUNCTION release_hold_logged(
  p_hold_id uuid,
  p_request_id text, p_endpoint text, p_model text, p_status text, p_error_code text,
  p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer,
  p_prompt_chars integer, p_prompt_preview text, p_peak boolean DEFAULT NULL)
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
                          peak)
  VALUES (v_hold.user_id, v_hold.api_key_id, p_hold_id, p_request_id, p_endpoint, p_model, p_status, p_error_code,
          0, p_prompt_tokens, p_completion_tokens, p_latency_ms, p_prompt_chars, p_prompt_preview, p_peak)
  RETURNING id INTO v_usage_id;
  RETURN v_usage_id;
END
$$;

GRANT SELECT ON peak_calendar TO creditgate_app;
REVOKE EXECUTE ON FUNCTION
  admin_set_model_price(text, text, boolean, bigint, numeric, numeric, numeric, integer, integer, text),
  admin_set_peak_calendar(text, text, smallint[], jsonb, date[], text),
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                     integer, integer, integer, boolean),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  admin_set_model_price(text, text, boolean, bigint, numeric, numeric, numeric, integer, integer, text),
  admin_set_peak_calendar(text, text, smallint[], jsonb, date[], text),
  settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text, text,
                     integer, integer, integer, boolean),
  release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text, boolean)
TO creditgate_app;
