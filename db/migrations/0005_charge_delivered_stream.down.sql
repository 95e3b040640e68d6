ALTER TABLE usage_logs DROP CONSTRAINT usage_logs_charged_only_for_delivered_answers;
ALTER TABLE usage_logs ADD CONSTRAINT usage_logs_check1 CHECK (status = 'success' OR credits_charged = 0);
