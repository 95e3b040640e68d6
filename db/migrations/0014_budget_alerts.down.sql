-- Back to 0013: charges no longer raise budget.threshold.
DROP TRIGGER credit_holds_raise_budget_threshold ON credit_holds;
DROP FUNCTION raise_budget_threshold();
DROP FUNCTION raise_budget_crossings(text, uuid, uuid, bigint, text, timestamptz, bigint);
