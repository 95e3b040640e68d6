import { Module } from '@nestjs/common';
import { CreditsRepository } from '#src/credits/credits.repository.js';
import { HoldSweeper } from '#src/credits/hold-sweeper.service.js';

/** Balances, holds and the ledger: the repository over the SQL credit functions, and the sweeper. */
@Module({
  providers: [CreditsRepository, HoldSweeper],
  exports: [CreditsRepository, HoldSweeper],
})
export class CreditsModule {}
