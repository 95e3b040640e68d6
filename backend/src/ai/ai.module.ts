import { Module } from '@nestjs/common';
import { ChatBilling } from '#src/ai/chat-billing.js';
import { ChatController } from '#src/ai/chat.controller.js';
import { ChatService } from '#src/ai/chat.service.js';
import { ModelPriceCache } from '#src/ai/model-price.cache.js';
import { ModelsRepository } from '#src/ai/models.repository.js';
import { OpenAiController } from '#src/ai/openai/openai.controller.js';
import { ChannelsModule } from '#src/channels/channels.module.js';
import { CreditsModule } from '#src/credits/credits.module.js';
import { IdempotencyModule } from '#src/idempotency/idempotency.module.js';
import { PricingModule } from '#src/pricing/pricing.module.js';

/**
 * `POST /api/ai/chat`, `GET /api/ai/models`, and the OpenAI-compatible `/v1/chat/completions` and
 * `/v1/models`; answered through the upstream channels, or by the demo provider when there are none.
 */
@Module({
  imports: [CreditsModule, IdempotencyModule, PricingModule, ChannelsModule],
  controllers: [ChatController, OpenAiController],
  providers: [ChatService, ChatBilling, ModelsRepository, ModelPriceCache],
  exports: [ChatService, ModelPriceCache],
})
export class AiModule {}
