import { Module } from '@nestjs/common';
import { IdempotencyRepository } from '#src/idempotency/idempotency.repository.js';
import { IdempotencyService } from '#src/idempotency/idempotency.service.js';

@Module({
  providers: [IdempotencyService, IdempotencyRepository],
  exports: [IdempotencyService, IdempotencyRepository],
})
export class IdempotencyModule {}
