import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, type PageQueryDto, toPage } from '#src/common/pagination.js';
import type {
  CreatedRedemptionCodes,
  ListResponse,
  RedeemCodeResponse,
  RedemptionBatchView,
} from '#src/contract/index.js';
import type { CreateRedemptionCodesDto } from '#src/redemption/dto/redemption.dto.js';
import {
  hashRedemptionCode,
  lastFourOf,
  newRedemptionCode,
  normaliseRedemptionCode,
} from '#src/redemption/redemption-code.js';
import { RedemptionErrors, redemptionErrorFor } from '#src/redemption/redemption.errors.js';
import { type RedemptionBatchRow, RedemptionRepository } from '#src/redemption/redemption.repository.js';

const toBatchView = (row: RedemptionBatchRow): RedemptionBatchView => ({
  id: row.id,
  credits: Number(row.credits),
  count: row.code_count,
  redeemed: Number(row.redeemed),
  unused: Number(row.unused),
  revoked: Number(row.revoked),
  note: row.note,
  expiresAt: row.expires_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  createdBy: { id: row.created_by, email: row.created_by_email },
});

/** Redemption codes (docs/top-up.md): batches for admins, redemption for users. */
@Injectable()
export class RedemptionService {
  constructor(private readonly repository: RedemptionRepository) {}

  /** Makes the batch's codes; they are in this answer only, and stored as hashes. */
  async createBatch(adminToken: string, request: CreateRedemptionCodesDto): Promise<CreatedRedemptionCodes> {
    const batchId = randomUUID();
    const codes = Array.from({ length: request.count }, newRedemptionCode);
    const normalised = codes.map((code) => normaliseRedemptionCode(code) ?? '');
    await this.guarded(() =>
      this.repository.createBatch(adminToken, {
        id: batchId,
        credits: request.credits,
        expiresAt: request.expiresAt ?? null,
        note: request.note,
        hashes: normalised.map(hashRedemptionCode),
        last4s: normalised.map(lastFourOf),
      }),
    );
    return { batchId, codes };
  }

  async batches(query: PageQueryDto): Promise<ListResponse<RedemptionBatchView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, { createdAt: CursorField.Timestamp, id: CursorField.Uuid });
    const rows = await this.repository.batches({ limit: limit + 1, ...(after === undefined ? {} : { after }) });
    return toPage(rows, limit, toBatchView, (row) => ({ createdAt: row.cursor_at, id: row.id }));
  }

  /** Revokes the batch's unused codes and answers the batch as it now stands. */
  async revokeBatch(adminToken: string, batchId: string): Promise<RedemptionBatchView> {
    await this.guarded(() => this.repository.revokeBatch(adminToken, batchId));
    const row = await this.repository.batch(batchId);
    if (row === undefined) throw RedemptionErrors.noSuchBatch();
    return toBatchView(row);
  }

  /**
   * Credits the code's credits to the user once. A text that cannot be a code is unknown without a
   * database call; the rate limit has already counted the attempt.
   */
  async redeem(userId: string, code: string): Promise<RedeemCodeResponse> {
    const normalised = normaliseRedemptionCode(code);
    if (normalised === undefined) throw RedemptionErrors.unknownCode();
    const result = await this.repository.redeem(userId, hashRedemptionCode(normalised));
    switch (result.outcome) {
      case 'redeemed':
        return { credited: result.credited, balance: result.balance ?? 0 };
      case 'already_redeemed':
        throw RedemptionErrors.alreadyRedeemed();
      case 'expired':
        throw RedemptionErrors.expired();
      case 'not_found':
        throw RedemptionErrors.unknownCode();
    }
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw redemptionErrorFor(error) ?? error;
    }
  }
}
