import { Module } from '@nestjs/common';

/** A user's own usage and ledger records (issue #6). */
@Module({})
export class UsageModule {}
