import { Injectable } from '@nestjs/common';
import { type ModelPrice, rateToTenThousandths } from '#src/credits/pricing.js';
import { Database } from '#src/database/database.service.js';

/** A `model_prices` row as the queries here read it; the admin repository reads two more columns. */
export interface PriceRow {
  model: string;
  provider: 'deepseek' | 'demo';
  display_name: string;
  upstream_model: string | null;
  request_fields: Record<string, unknown>;
  request_credits: string;
  input_credits_per_1k: string;
  cached_input_credits_per_1k: string | null;
  output_credits_per_1k: string;
  off_peak_percent: number;
  default_output_tokens: number;
  max_output_tokens: number;
  context_tokens: number;
  reads_images: boolean;
  updated_at: Date;
}

export interface ModelListing extends ModelPrice {
  updatedAt: Date;
}

export const toPrice = (row: PriceRow): ModelPrice => ({
  model: row.model,
  provider: row.provider,
  displayName: row.display_name,
  upstreamModel: row.upstream_model ?? row.model,
  requestFields: row.request_fields,
  requestCredits: Number(row.request_credits),
  inputPer1kE4: rateToTenThousandths(row.input_credits_per_1k),
  cachedInputPer1kE4: rateToTenThousandths(row.cached_input_credits_per_1k ?? row.input_credits_per_1k),
  outputPer1kE4: rateToTenThousandths(row.output_credits_per_1k),
  offPeakPercent: row.off_peak_percent,
  defaultOutputTokens: row.default_output_tokens,
  maxOutputTokens: row.max_output_tokens,
  contextTokens: row.context_tokens,
  readsImages: row.reads_images,
});

export const PRICE_COLUMNS = `model, provider, display_name, upstream_model, request_fields, request_credits,
  input_credits_per_1k, cached_input_credits_per_1k, output_credits_per_1k, off_peak_percent, default_output_tokens,
  max_output_tokens, context_tokens, reads_images, updated_at`;

/** The price table: a model is usable only with an enabled row for a provider this process serves. */
@Injectable()
export class ModelsRepository {
  constructor(private readonly db: Database) {}

  async findUsable(model: string, providers: readonly string[]): Promise<ModelPrice | undefined> {
    const row = await this.db.first<PriceRow>(
      `SELECT ${PRICE_COLUMNS} FROM model_prices WHERE model = $1::text AND enabled AND provider = ANY($2::text[])`,
      [model, providers],
    );
    return row && toPrice(row);
  }

  async listUsable(providers: readonly string[]): Promise<ModelListing[]> {
    const rows = await this.db.rows<PriceRow>(
      `SELECT ${PRICE_COLUMNS} FROM model_prices WHERE enabled AND provider = ANY($1::text[]) ORDER BY provider, model`,
      [providers],
    );
    return rows.map((row) => ({ ...toPrice(row), updatedAt: row.updated_at }));
  }
}
