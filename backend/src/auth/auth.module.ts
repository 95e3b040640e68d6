import { Module } from '@nestjs/common';

/** Registration, login, tokens, guards and API keys (issue #3). */
@Module({})
export class AuthModule {}
