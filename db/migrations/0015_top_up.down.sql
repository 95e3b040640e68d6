-- Back to 0014: redemption codes, packages, orders and stored Stripe events go. The ledger is
-- append-only, so a database whose ledger already holds redemptions or payments cannot go back: the
-- step refuses rather than lose what those rows came from.

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM credit_ledger WHERE kind IN ('redeem', 'payment')) THEN
    RAISE EXCEPTION 'the ledger holds redemptions or payments; 0015 cannot be reverted'
      USING ERRCODE = 'object_in_use';
  END IF;
END
$$;

DROP FUNCTION record_stripe_event(text, text, boolean, text, text, text, text, text, bigint, text);
DROP FUNCTION fail_payment_order(uuid, text);
DROP FUNCTION attach_checkout_session(uuid, text);
DROP FUNCTION create_payment_order(uuid, uuid);
DROP FUNCTION admin_update_credit_package(text, uuid, text, bigint, bigint, text, boolean);
DROP FUNCTION admin_create_credit_package(text, uuid, text, bigint, bigint, text);
DROP FUNCTION credit_package_audit_view(credit_packages);
DROP FUNCTION admin_revoke_redemption_batch(text, uuid);
DROP FUNCTION admin_create_redemption_batch(text, uuid, bigint, timestamptz, text, bytea[], text[]);
DROP FUNCTION redeem_code(uuid, bytea);

ALTER TABLE credit_ledger
  DROP CONSTRAINT credit_ledger_payment_names_its_order,
  DROP CONSTRAINT credit_ledger_redeem_names_its_code,
  DROP COLUMN payment_order_id,
  DROP COLUMN redemption_code_id;
DROP TABLE stripe_events;
DROP TABLE payment_orders;
DROP TABLE credit_packages;
DROP TABLE redemption_codes;
DROP TABLE redemption_batches;

ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_kind_check;
ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_kind_check CHECK (kind IN ('signup_grant', 'recharge', 'charge'));
