DROP FUNCTION release_hold_logged(uuid, text, text, text, text, text, integer, integer, integer, integer, text);
DROP FUNCTION settle_hold_logged(uuid, bigint, text, text, text, text, text, integer, integer, integer, integer, text);
DROP FUNCTION reserve_credits_checked(uuid, bigint, integer, uuid);
