import { Module } from '@nestjs/common';

/** Admin APIs: users, recharge, usage, stats, prices (issue #6). */
@Module({})
export class AdminModule {}
