import type { Pool } from 'pg';

/**
 * The invariants of SPEC §3 (and of top-up: a code or an order credits once, as much as it says), read straight from the tables (as the owner, so row-level security
 * hides nothing). Returns one line per violation; an empty list means the books balance.
 */
export async function creditInvariantViolations(ownerPool: Pool): Promise<string[]> {
  const checks: { name: string; sql: string }[] = [
    {
      name: 'balance or available below zero',
      sql: 'SELECT user_id FROM credit_accounts WHERE balance < 0 OR balance - held < 0',
    },
    {
      name: 'balance differs from the sum of its ledger rows',
      sql: `SELECT a.user_id FROM credit_accounts a
              LEFT JOIN (SELECT user_id, sum(amount) AS total FROM credit_ledger GROUP BY user_id) l USING (user_id)
             WHERE a.balance <> coalesce(l.total, 0)`,
    },
    {
      name: 'latest ledger row does not show the balance',
      sql: `SELECT a.user_id FROM credit_accounts a
              JOIN LATERAL (SELECT balance_after FROM credit_ledger l WHERE l.user_id = a.user_id
                             ORDER BY id DESC LIMIT 1) last ON true
             WHERE last.balance_after <> a.balance`,
    },
    {
      name: 'held differs from the sum of open holds',
      sql: `SELECT a.user_id FROM credit_accounts a
              LEFT JOIN (SELECT user_id, sum(amount) AS total FROM credit_holds WHERE status = 'open' GROUP BY user_id) h
                USING (user_id)
             WHERE a.held <> coalesce(h.total, 0)`,
    },
    {
      name: 'usage credits differ from ledger charges',
      sql: `SELECT u.id FROM users u
             WHERE (SELECT coalesce(sum(credits_charged), 0) FROM usage_logs WHERE user_id = u.id)
                <> (SELECT coalesce(-sum(amount), 0) FROM credit_ledger WHERE user_id = u.id AND kind = 'charge')`,
    },
    {
      name: 'settled hold charged differently from its ledger row',
      sql: `SELECT h.id FROM credit_holds h LEFT JOIN credit_ledger l ON l.hold_id = h.id
             WHERE (h.charged > 0 AND (l.id IS NULL OR l.amount <> -h.charged)) OR (h.charged = 0 AND l.id IS NOT NULL)`,
    },
    {
      name: 'API key held or spent differs from its holds',
      sql: `SELECT k.id FROM api_keys k
             WHERE k.credits_held <> (SELECT coalesce(sum(amount), 0) FROM credit_holds WHERE api_key_id = k.id AND status = 'open')
                OR k.credits_spent <> (SELECT coalesce(sum(charged), 0) FROM credit_holds WHERE api_key_id = k.id)`,
    },
    {
      name: 'redemption credited differently from its code',
      sql: `SELECT l.id FROM credit_ledger l
              LEFT JOIN redemption_codes c ON c.id = l.redemption_code_id
              LEFT JOIN redemption_batches b ON b.id = c.batch_id
             WHERE l.kind = 'redeem'
               AND (c.redeemed_by IS DISTINCT FROM l.user_id OR b.credits IS DISTINCT FROM l.amount)`,
    },
    {
      name: 'redeemed code without exactly one ledger row',
      sql: `SELECT c.id FROM redemption_codes c
             WHERE (c.redeemed_at IS NOT NULL) <> EXISTS (SELECT 1 FROM credit_ledger l WHERE l.redemption_code_id = c.id)`,
    },
    {
      name: 'payment credited differently from its order',
      sql: `SELECT l.id FROM credit_ledger l LEFT JOIN payment_orders o ON o.id = l.payment_order_id
             WHERE l.kind = 'payment'
               AND (o.user_id IS DISTINCT FROM l.user_id OR o.credits IS DISTINCT FROM l.amount
                    OR o.status IS DISTINCT FROM 'paid')`,
    },
    {
      name: 'paid order without exactly one ledger row',
      sql: `SELECT o.id FROM payment_orders o
             WHERE (o.status = 'paid') <> EXISTS (SELECT 1 FROM credit_ledger l WHERE l.payment_order_id = o.id)`,
    },
  ];
  const violations: string[] = [];
  for (const check of checks) {
    const { rows } = await ownerPool.query<Record<string, unknown>>(check.sql);
    for (const row of rows) violations.push(`${check.name}: ${JSON.stringify(row)}`);
  }
  return violations;
}

export async function expectCreditInvariants(ownerPool: Pool): Promise<void> {
  expect(await creditInvariantViolations(ownerPool)).toEqual([]);
}
