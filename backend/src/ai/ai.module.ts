import { Module } from '@nestjs/common';
import { ChatBilling } from '#src/ai/chat-billing.js';
import { ChatController } from '#src/ai/chat.controller.js';
import { ChatService } from '#src/ai/chat.service.js';
import { ModelPriceCache } from '#src/ai/model-price.cache.js';
import { ModelsRepository } from '#src/ai/models.repository.js';
import { OpenAiController } from '#src/ai/openai/openai.controller.js';
import { AI_PROVIDER } from '#src/ai/providers/ai-provider.js';
import { DeepSeekProvider } from '#src/ai/providers/deepseek.provider.js';
import { DemoProvider } from '#src/ai/providers/demo.provider.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { CreditsModule } from '#src/credits/credits.module.js';
import { IdempotencyModule } from '#src/idempotency/idempotency.module.js';
import { PricingModule } from '#src/pricing/pricing.module.js';

/**
 * `POST /api/ai/chat`, `GET /api/ai/models`, and the OpenAI-compatible `/v1/chat/completions` and
 * `/v1/models`; answered by DeepSeek, or by the demo provider without a key.
 */
@Module({
  imports: [CreditsModule, IdempotencyModule, PricingModule],
  controllers: [ChatController, OpenAiController],
  providers: [
    ChatService,
    ChatBilling,
    ModelsRepository,
    ModelPriceCache,
    {
      provide: AI_PROVIDER,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => (config.isDemoMode ? new DemoProvider() : new DeepSeekProvider(config)),
    },
  ],
  exports: [ChatService, ModelPriceCache],
})
export class AiModule {}
