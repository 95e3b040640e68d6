import { Injectable } from '@nestjs/common';
import { type ModelPrice, rateToTenThousandths } from '#src/credits/pricing.js';
import { Database } from '#src/database/database.service.js';

/** A `model_prices` row as the queries here read it; the admin repository reads two more columns. */
export interface PriceRow {
  model: string;
  provider: 'deepseek' | 'demo';
  display_name: string;
  request_credits: string;
  input_credits_per_1k: string;
  output_credits_per_1k: string;
  max_output_tokens: number;
  context_tokens: number;
  updated_at: Date;
}

export interface ModelListing extends ModelPrice {
  updatedAt: Date;
}

const toPrice = (row: PriceRow): ModelPrice => ({
  model: row.model,
  provider: row.provider,
  displayName: row.display_name,
  requestCredits: Number(row.request_credits),
  inputPer1kE4: rateToTenThousandths(row.input_credits_per_1k),
  outputPer1kE4: rateToTenThousandths(row.output_credits_per_1k),
  maxOutputTokens: row.max_output_tokens,
  contextTokens: row.context_tokens,
});

const columns =
  'model, provider, display_name, request_credits, input_credits_per_1k, output_credits_per_1k, max_output_tokens, context_tokens, updated_at';

/** The price table: a model is usable only with an enabled row for a provider this process serves. */
@Injectable()
export class ModelsRepository {
  constructor(private readonly db: Database) {}

  async findUsable(model: string, providers: readonly string[]): Promise<ModelPrice | undefined> {
    const row = await this.db.first<PriceRow>(
      `SELECT ${columns} FROM model_prices WHERE model = $1::text AND enabled AND provider = ANY($2::text[])`,
      [model, providers],
    );
    return row && toPrice(row);
  }

  async listUsable(providers: readonly string[]): Promise<ModelListing[]> {
    const rows = await this.db.rows<PriceRow>(
      `SELECT ${columns} FROM model_prices WHERE enabled AND provider = ANY($1::text[]) ORDER BY provider, model`,
      [providers],
    );
    return rows.map((row) => ({ ...toPrice(row), updatedAt: row.updated_at }));
  }
}
