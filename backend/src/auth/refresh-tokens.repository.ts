import { Injectable } from '@nestjs/common';
import { Database } from '#src/database/database.service.js';

export type RotationResult =
  | { outcome: 'rotated'; userId: string; familyId: string }
  /** The token was already exchanged: someone replayed it, so its whole family was revoked. */
  | { outcome: 'reused' }
  | { outcome: 'invalid' };

/** Refresh tokens are stored only as SHA-256 hashes; the raw token exists only at the client. */
@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly db: Database) {}

  async insert(token: { userId: string; familyId: string; tokenHash: Buffer; ttlSeconds: number }): Promise<void> {
    await this.db.rows(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
       VALUES ($1::uuid, $2::uuid, $3::bytea, now() + make_interval(secs => $4::integer))`,
      [token.userId, token.familyId, token.tokenHash, token.ttlSeconds],
    );
  }

  /**
   * Marks the token used, in one guarded UPDATE (it locks the row: of concurrent refreshes with one
   * token exactly one wins). A token that was already rotated is a replay: its family is revoked.
   *
   * Revocation is a property of the family, checked when a token is used, not a flag on the rows
   * that existed when it was set: the winner of a race inserts its new token after its UPDATE, so
   * a loser that revokes the family in between would leave that token unmarked. Any revoked row
   * makes the whole family unusable, tokens inserted later included.
   */
  async rotate(tokenHash: Buffer): Promise<RotationResult> {
    const rotated = await this.db.rows<{ user_id: string; family_id: string }>(
      `UPDATE refresh_tokens t SET rotated_at = now()
        WHERE t.token_hash = $1::bytea AND t.rotated_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()
          AND NOT EXISTS (SELECT 1 FROM refresh_tokens f WHERE f.family_id = t.family_id AND f.revoked_at IS NOT NULL)
       RETURNING t.user_id, t.family_id`,
      [tokenHash],
    );
    const row = rotated[0];
    if (row) return { outcome: 'rotated', userId: row.user_id, familyId: row.family_id };
    const replayed = await this.db.rows<{ family_id: string }>(
      'SELECT family_id FROM refresh_tokens WHERE token_hash = $1::bytea AND rotated_at IS NOT NULL',
      [tokenHash],
    );
    const family = replayed[0];
    if (!family) return { outcome: 'invalid' };
    await this.revokeFamily(family.family_id);
    return { outcome: 'reused' };
  }

  /** Revokes every token of the family the given token belongs to; false if the token is unknown. */
  async revokeFamilyOf(tokenHash: Buffer): Promise<boolean> {
    const rows = await this.db.rows<{ family_id: string }>(
      'SELECT family_id FROM refresh_tokens WHERE token_hash = $1::bytea',
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return false;
    await this.revokeFamily(row.family_id);
    return true;
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.db.rows(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1::uuid AND revoked_at IS NULL',
      [familyId],
    );
  }
}
