import { Module } from '@nestjs/common';

/** The chat endpoints and the AI providers, DeepSeek and demo (issues #4 and #5). */
@Module({})
export class AiModule {}
