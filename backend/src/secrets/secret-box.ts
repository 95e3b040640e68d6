import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfigService } from '#src/config/app-config.service.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored secret that the configured SECRETS_KEY cannot open: another key wrote it, or it was altered. */
export class UnreadableSecretError extends Error {
  constructor(readonly context: string) {
    super(`a stored secret (${context}) cannot be decrypted with this SECRETS_KEY`);
    this.name = 'UnreadableSecretError';
  }
}

/** SECRETS_KEY cannot open a stored secret: boot stops with this, rather than every use failing. */
export class SecretsKeyMismatchError extends Error {
  /** `what`: the secret, as an admin finds it, e.g. `the API key of channel "backup"`. */
  constructor(what: string) {
    super(
      `SECRETS_KEY cannot decrypt ${what}: set SECRETS_KEY to the key it was saved with ` +
        '(or enter that secret again after starting with the new key)',
    );
    this.name = 'SecretsKeyMismatchError';
  }
}

/**
 * Secrets at rest (upstream API keys, webhook signing secrets): AES-256-GCM under `SECRETS_KEY`, a fresh
 * 96-bit IV each time, stored as `v1.<iv>.<tag>.<ciphertext>` (base64url). `context` — what the secret
 * belongs to, e.g. `channel:<id>` — is authenticated with it, so a ciphertext copied onto another row
 * does not decrypt there. The database never sees a secret in clear.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(config: AppConfigService) {
    this.key = config.secretsKey;
    if (this.key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plaintext, or `UnreadableSecretError` (wrong key, altered text, another row's secret). */
  open(sealed: string, context: string): string {
    const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
      throw new UnreadableSecretError(context);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new UnreadableSecretError(context);
    }
  }
}
