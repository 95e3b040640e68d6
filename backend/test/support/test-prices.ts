import type { Pool } from 'pg';

/**
 * The suites that test billing mechanics (holds, caps, refunds, streams) keep simple arithmetic: the
 * retired `deepseek-chat` / `deepseek-reasoner` aliases priced as DeepSeek-V3.2 was (1 credit a
 * request, 2.8 / 4.2 per 1k tokens, no cache discount, no off-peak discount, 4,096 output tokens by
 * default). Everything else about the aliases stays real: they call `deepseek-flash` upstream with
 * thinking fixed. Today's prices, cache hits and off-peak hours are tested in
 * `test/ai/today-deepseek.e2e-spec.ts` and `src/credits/pricing.spec.ts`.
 */
export async function useFlatTestPrices(ownerPool: Pool): Promise<void> {
  await ownerPool.query(
    `UPDATE model_prices
        SET request_credits = 1, input_credits_per_1k = 2.8, cached_input_credits_per_1k = NULL,
            output_credits_per_1k = 4.2, off_peak_percent = 100, default_output_tokens = 4096,
            max_output_tokens = CASE model WHEN 'deepseek-chat' THEN 8192 ELSE 65536 END
      WHERE model IN ('deepseek-chat', 'deepseek-reasoner')`,
  );
}

/**
 * A model row of a test's own, calling `deepseek-flash` upstream (the fake answers only DeepSeek's
 * names) with thinking off unless the test says otherwise. Rates are credits per 1k tokens.
 */
export async function insertTestModel(
  ownerPool: Pool,
  model: {
    id: string;
    requestCredits: number;
    inputPer1k?: number;
    outputPer1k?: number;
    maxOutputTokens?: number;
    requestFields?: Record<string, unknown>;
  },
): Promise<void> {
  const maxOutputTokens = model.maxOutputTokens ?? 100;
  await ownerPool.query(
    `INSERT INTO model_prices (model, provider, display_name, upstream_model, request_fields, request_credits,
                               input_credits_per_1k, output_credits_per_1k, default_output_tokens, max_output_tokens,
                               context_tokens)
     VALUES ($1::text, 'deepseek', $1::text, 'deepseek-flash', $2::jsonb, $3::bigint, $4::numeric, $5::numeric,
             $6::integer, $6::integer, 100000)
     ON CONFLICT (model) DO NOTHING`,
    [
      model.id,
      JSON.stringify(model.requestFields ?? { thinking: { type: 'disabled' } }),
      model.requestCredits,
      String(model.inputPer1k ?? 0),
      String(model.outputPer1k ?? 0),
      maxOutputTokens,
    ],
  );
}
