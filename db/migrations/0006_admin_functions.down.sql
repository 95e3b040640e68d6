DROP FUNCTION admin_set_model_price(uuid, text, boolean, bigint, numeric, numeric, text);
DROP FUNCTION admin_set_user_access(uuid, uuid, text, boolean, text);
DROP FUNCTION assert_admin(uuid);
