import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ApiKeyOwner, type ApiKeyRecord, ApiKeysRepository } from '#src/api-keys/api-keys.repository.js';
import { AppError } from '#src/common/app-error.js';
import { API_KEY_PREFIX, type ApiKeyView, type CreatedApiKey, ErrorCode } from '#src/contract/index.js';

/** Characters of the random part shown in listings: enough to tell keys apart, far too few to guess the rest. */
const VISIBLE_CHARACTERS = 8;

const hashKey = (key: string): Buffer => createHash('sha256').update(key).digest();

function toView(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    creditLimit: record.creditLimit,
    creditsSpent: record.creditsSpent,
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
  };
}

/**
 * API keys: 256 random bits behind a recognisable prefix, stored only as a SHA-256 hash (a slow
 * hash protects guessable secrets; these are not guessable, and every request checks one).
 */
@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeysRepository) {}

  async create(userId: string, name: string, creditLimit: number | undefined): Promise<CreatedApiKey> {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = await this.keys.insert({
      userId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX.length + VISIBLE_CHARACTERS),
      secretHash: hashKey(key),
      creditLimit: creditLimit ?? null,
    });
    return { ...toView(record), key };
  }

  async list(userId: string): Promise<ApiKeyView[]> {
    return (await this.keys.listActive(userId)).map(toView);
  }

  async revoke(userId: string, id: string): Promise<void> {
    if (!(await this.keys.revoke(userId, id))) throw new AppError(ErrorCode.NotFound, 'No such API key.');
  }

  /** The owner of a presented key, or undefined when it is unknown or revoked. */
  authenticate(key: string): Promise<ApiKeyOwner | undefined> {
    return this.keys.findOwner(hashKey(key));
  }
}
