import { Module } from '@nestjs/common';
import { ApiKeysController } from '#src/api-keys/api-keys.controller.js';
import { ApiKeysRepository } from '#src/api-keys/api-keys.repository.js';
import { ApiKeysService } from '#src/api-keys/api-keys.service.js';

@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeysService, ApiKeysRepository],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
