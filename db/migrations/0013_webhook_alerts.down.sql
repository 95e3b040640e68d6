-- Back to 0012: the outbox, its deliveries and endpoints go (undelivered alerts with them), and
-- disable_channel_after_refusal is 0011's again.

DROP TRIGGER channels_enabled_raise_channel_up ON channels;
DROP TRIGGER credit_accounts_raise_credits_low ON credit_accounts;
DROP TRIGGER credit_ledger_raises_credits_added ON credit_ledger;
DROP FUNCTION admin_retry_webhook_delivery(text, uuid, bigint);
DROP FUNCTION admin_send_webhook_test(text, uuid);
DROP FUNCTION admin_delete_webhook(text, uuid);
DROP FUNCTION admin_create_webhook(text, uuid, text, text[], text, text);
DROP FUNCTION raise_channel_up_on_enable();
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
  RETURN true;
END
$$;
DROP FUNCTION channel_health_changed(uuid, boolean, text);
DROP FUNCTION raise_credits_low();
DROP FUNCTION raise_credits_added();
DROP FUNCTION enqueue_webhook_event(text, jsonb, text, uuid);
DELETE FROM app_settings WHERE key = 'low_credits_threshold';
ALTER TABLE channels DROP COLUMN down_since;
DROP TABLE credit_low_alerts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
