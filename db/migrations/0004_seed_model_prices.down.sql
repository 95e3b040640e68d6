DELETE FROM model_prices
 WHERE model IN ('deepseek-chat', 'deepseek-reasoner', 'demo-chat', 'demo-slow', 'demo-timeout', 'demo-empty', 'demo-error');
