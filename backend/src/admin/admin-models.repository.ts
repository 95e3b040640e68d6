import { Injectable } from '@nestjs/common';
import { toModelView } from '#src/ai/chat.presenter.js';
import { type PriceRow, toPrice } from '#src/ai/models.repository.js';
import type { AdminModel, AuditItem } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';

interface ModelRow extends PriceRow {
  enabled: boolean;
  updated_by: string | null;
}

/** A row as admins see it: the client's view, and what calls it and who changed it last. */
const toAdminModel = (row: ModelRow, peakNow: boolean): AdminModel => {
  const price = toPrice(row);
  return {
    ...toModelView(price, peakNow, row.updated_at),
    enabled: row.enabled,
    upstreamModel: price.upstreamModel,
    requestFields: price.requestFields,
    updatedBy: row.updated_by,
  };
};

/** The whole price table, and the audit trail of admin changes. */
@Injectable()
export class AdminModelsRepository {
  constructor(private readonly db: Database) {}

  async list(peakNow: boolean): Promise<AdminModel[]> {
    const rows = await this.db.rows<ModelRow>('SELECT * FROM model_prices ORDER BY provider, model');
    return rows.map((row) => toAdminModel(row, peakNow));
  }

  /**
   * Through `admin_set_model_price`, which verifies the admin's access token and reads the role
   * itself, and writes the audit row.
   */
  async setPrice(change: {
    adminToken: string;
    model: string;
    enabled: boolean;
    requestCredits: number;
    inputCreditsPer1k: number;
    cachedInputCreditsPer1k: number;
    outputCreditsPer1k: number;
    offPeakPercent: number;
    defaultOutputTokens: number | null;
    reason: string | null;
    peakNow: boolean;
  }): Promise<AdminModel> {
    const row = await this.db.first<ModelRow>(
      `SELECT * FROM admin_set_model_price(
                p_actor_token => $1::text, p_model => $2::text, p_enabled => $3::boolean,
                p_request_credits => $4::bigint, p_input_per_1k => $5::numeric, p_cached_input_per_1k => $6::numeric,
                p_output_per_1k => $7::numeric, p_off_peak_percent => $8::integer,
                p_default_output_tokens => $9::integer, p_reason => $10::text)`,
      [
        change.adminToken,
        change.model,
        change.enabled,
        change.requestCredits,
        String(change.inputCreditsPer1k),
        String(change.cachedInputCreditsPer1k),
        String(change.outputCreditsPer1k),
        change.offPeakPercent,
        change.defaultOutputTokens,
        change.reason,
      ],
    );
    if (!row) throw new Error('admin_set_model_price answered no row');
    return toAdminModel(row, change.peakNow);
  }

  async audit(filter: { targetType?: string; targetId?: string; beforeId?: string; limit: number }) {
    const rows = await this.db.rows<{
      id: string;
      actor_id: string | null;
      actor_email: string | null;
      action: string;
      target_type: string;
      target_id: string;
      details: Record<string, unknown>;
      reason: string | null;
      created_at: Date;
    }>(
      `SELECT a.id::text AS id, a.actor_id, u.email AS actor_email, a.action, a.target_type, a.target_id, a.details,
              a.reason, a.created_at
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        WHERE ($1::text IS NULL OR a.target_type = $1::text)
          AND ($2::text IS NULL OR a.target_id = $2::text)
          AND ($3::bigint IS NULL OR a.id < $3::bigint)
        ORDER BY a.id DESC
        LIMIT $4::integer`,
      [filter.targetType ?? null, filter.targetId ?? null, filter.beforeId ?? null, filter.limit],
    );
    return rows.map((row): AuditItem => ({
      id: row.id,
      actorId: row.actor_id,
      actorEmail: row.actor_email,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      details: row.details,
      reason: row.reason,
      createdAt: row.created_at.toISOString(),
    }));
  }
}
