import { Global, Module } from '@nestjs/common';
import { SecretBox } from '#src/secrets/secret-box.js';

/** Encryption of secrets at rest under SECRETS_KEY, for every module that stores one. */
@Global()
@Module({ providers: [SecretBox], exports: [SecretBox] })
export class SecretsModule {}
