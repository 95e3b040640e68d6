-- Starting prices, 1 credit = USD 0.0001 (docs/pricing.md). DeepSeek's published list price for
-- deepseek-chat and deepseek-reasoner (DeepSeek-V3.2, since 2025-12): USD 0.28 per 1M input tokens
-- (cache miss; cache hits are billed as misses, the safe side) and USD 0.42 per 1M output tokens,
-- i.e. 2.8 and 4.2 credits per 1,000 tokens, plus 1 credit per request. Admins change them at run time.
INSERT INTO model_prices
  (model, provider, display_name, request_credits, input_credits_per_1k, output_credits_per_1k, max_output_tokens, context_tokens)
VALUES
  ('deepseek-chat',     'deepseek', 'DeepSeek-V3.2 (chat)',      1, 2.8, 4.2,  8192, 131072),
  ('deepseek-reasoner', 'deepseek', 'DeepSeek-V3.2 (reasoning)', 1, 2.8, 4.2, 65536, 131072),
  -- Demo mode only (no DEEPSEEK_API_KEY): answered on this machine, one model per billing path.
  ('demo-chat',    'demo', 'Demo: answers',              1, 2.8, 4.2, 4096, 32768),
  ('demo-slow',    'demo', 'Demo: answers after 3 s',    1, 2.8, 4.2, 4096, 32768),
  ('demo-timeout', 'demo', 'Demo: never answers',        1, 2.8, 4.2, 4096, 32768),
  ('demo-empty',   'demo', 'Demo: answers empty',        1, 2.8, 4.2, 4096, 32768),
  ('demo-error',   'demo', 'Demo: provider error',       1, 2.8, 4.2, 4096, 32768);
