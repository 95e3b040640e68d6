import { Module } from '@nestjs/common';
import { IdempotencyModule } from '#src/idempotency/idempotency.module.js';
import { CreditsController } from '#src/credits/credits.controller.js';
import { CreditsRepository } from '#src/credits/credits.repository.js';
import { CreditsService } from '#src/credits/credits.service.js';
import { HoldSweeper } from '#src/credits/hold-sweeper.service.js';
import { LedgerRepository } from '#src/credits/ledger.repository.js';

/**
 * Balances, holds and the ledger: the repository over the SQL credit functions, the sweeper, and a
 * user's own balance and ledger.
 */
@Module({
  imports: [IdempotencyModule],
  controllers: [CreditsController],
  providers: [CreditsRepository, CreditsService, HoldSweeper, LedgerRepository],
  exports: [CreditsRepository, HoldSweeper, LedgerRepository],
})
export class CreditsModule {}
