import { Module } from '@nestjs/common';
import { ChatController } from '#src/ai/chat.controller.js';
import { ChatService } from '#src/ai/chat.service.js';
import { ModelsRepository } from '#src/ai/models.repository.js';
import { AI_PROVIDER } from '#src/ai/providers/ai-provider.js';
import { DeepSeekProvider } from '#src/ai/providers/deepseek.provider.js';
import { DemoProvider } from '#src/ai/providers/demo.provider.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { CreditsModule } from '#src/credits/credits.module.js';
import { IdempotencyModule } from '#src/idempotency/idempotency.module.js';

/** `POST /api/ai/chat` and `GET /api/ai/models`; DeepSeek, or the demo provider without a key. */
@Module({
  imports: [CreditsModule, IdempotencyModule],
  controllers: [ChatController],
  providers: [
    ChatService,
    ModelsRepository,
    {
      provide: AI_PROVIDER,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => (config.isDemoMode ? new DemoProvider() : new DeepSeekProvider(config)),
    },
  ],
})
export class AiModule {}
