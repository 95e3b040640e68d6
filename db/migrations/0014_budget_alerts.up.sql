-- budget.threshold alerts (issues 16 and 17, docs/alerts.md): a charge that takes a key's budget or a
-- user's spend limit to 80 % or 100 % of its period raises the event in the settle's own transaction,
-- once per key or user, period and percentage (the dedupe key of 0013's outbox). Spend is counted as
-- the reserve check counts it (0012): charged plus held by the holds made in the period.

CREATE FUNCTION raise_budget_crossings(p_scope text, p_user_id uuid, p_api_key_id uuid, p_limit bigint,
                                       p_period text, p_period_start timestamptz, p_spent bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_percent integer;
BEGIN
  FOREACH v_percent IN ARRAY ARRAY[80, 100] LOOP
    IF p_spent * 100 >= p_limit * v_percent THEN
      PERFORM enqueue_webhook_event('budget.threshold',
        jsonb_build_object('scope', p_scope, 'userId', p_user_id, 'apiKeyId', p_api_key_id, 'percent', v_percent,
                           'spent', p_spent, 'limit', p_limit, 'period', p_period, 'periodStart', p_period_start),
        format('budget.threshold:%s:%s:%s:%s', p_scope, coalesce(p_api_key_id, p_user_id),
               to_char(p_period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD'), v_percent));
    END IF;
  END LOOP;
END
$$;

CREATE FUNCTION raise_budget_threshold() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_limit bigint;
  v_period text;
  v_start timestamptz;
  v_end timestamptz;
BEGIN
  IF NEW.api_key_id IS NOT NULL THEN
    SELECT budget_credits, budget_period INTO v_limit, v_period FROM api_keys WHERE id = NEW.api_key_id;
    IF v_limit IS NOT NULL THEN
      SELECT period_start, period_end INTO v_start, v_end FROM spend_period_bounds(v_period, NEW.created_at);
      PERFORM raise_budget_crossings('key', NEW.user_id, NEW.api_key_id, v_limit, v_period, v_start,
                                     api_key_period_spend(NEW.api_key_id, v_start, v_end));
    END IF;
  END IF;
  SELECT spend_limit_credits, spend_limit_period INTO v_limit, v_period FROM users WHERE id = NEW.user_id;
  IF v_limit IS NOT NULL THEN
    SELECT period_start, period_end INTO v_start, v_end FROM spend_period_bounds(v_period, NEW.created_at);
    PERFORM raise_budget_crossings('user', NEW.user_id, NULL, v_limit, v_period, v_start,
                                   user_period_spend(NEW.user_id, v_start, v_end));
  END IF;
  RETURN NULL;
END
$$;

-- A charge: a hold settled with credits. (Spend only falls on release or expiry: nothing to raise.)
CREATE TRIGGER credit_holds_raise_budget_threshold AFTER UPDATE OF status ON credit_holds
  FOR EACH ROW WHEN (OLD.status = 'open' AND NEW.status = 'settled' AND NEW.charged > 0)
  EXECUTE FUNCTION raise_budget_threshold();

REVOKE EXECUTE ON FUNCTION
  raise_budget_crossings(text, uuid, uuid, bigint, text, timestamptz, bigint),
  raise_budget_threshold()
FROM PUBLIC;
