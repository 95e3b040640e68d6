import { Module } from '@nestjs/common';

/** Balances, holds and the ledger: the repository over the SQL credit functions (issue #4). */
@Module({})
export class CreditsModule {}
