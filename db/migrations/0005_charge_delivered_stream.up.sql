-- A streamed answer whose client disconnects after part of it arrived is charged for what was
-- delivered (docs/billing.md); its usage row says so with status 'client_closed'. Every other
-- non-success status still carries no charge.
ALTER TABLE usage_logs DROP CONSTRAINT usage_logs_check1;
ALTER TABLE usage_logs ADD CONSTRAINT usage_logs_charged_only_for_delivered_answers
  CHECK (status IN ('success', 'client_closed') OR credits_charged = 0);
