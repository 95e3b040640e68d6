import type { Pool } from 'pg';

/** `reserve_credits` as the runtime role calls it: the hold's id, or null when too little is available. */
export async function reserveHold(
  runtime: Pool,
  userId: string,
  amount: number,
  options: { ttlMs?: number; apiKeyId?: string | null } = {},
): Promise<string | null> {
  const { rows } = await runtime.query<{ hold: string | null }>(
    'SELECT reserve_credits($1::uuid, $2::bigint, $3::integer, $4::uuid) AS hold',
    [userId, amount, options.ttlMs ?? 60_000, options.apiKeyId ?? null],
  );
  return rows[0]?.hold ?? null;
}

/**
 * `settle_hold` and the attempt's usage row in one transaction, written out by hand — what
 * `settle_hold_logged` (migration 0007, the billing service's call) does — so that tests can check
 * `settle_hold`'s own answer: its ledger entry and the balance after.
 */
export async function settleWithUsage(
  runtime: Pool,
  holdId: string | null,
  charge: number,
): Promise<{ ledger_entry_id: string | null; charged: string; balance: string }> {
  const client = await runtime.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ ledger_entry_id: string | null; charged: string; balance: string }>(
      `SELECT ledger_entry_id, charged, balance FROM settle_hold($1::uuid, $2::bigint, 'AI request')`,
      [holdId, charge],
    );
    const settled = rows[0];
    if (!settled) throw new Error('settle_hold answered no row');
    await client.query(
      `INSERT INTO usage_logs (user_id, hold_id, ledger_entry_id, endpoint, model, status, credits_charged)
       SELECT user_id, id, $2::bigint, 'chat', 'deepseek-chat', 'success', $3::bigint FROM credit_holds WHERE id = $1::uuid`,
      [holdId, settled.ledger_entry_id, settled.charged],
    );
    await client.query('COMMIT');
    return settled;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
