import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { ApiKeysRepository } from '#src/api-keys/api-keys.repository.js';
import { CreditsRepository } from '#src/credits/credits.repository.js';
import { Database } from '#src/database/database.service.js';
import { type UsageEntry, UsageStatus } from '#src/usage/usage-log.js';

/**
 * The billing service's own repository — the very SQL calls a chat makes — over a pool of the test's
 * choosing (the runtime role's, so the real grants apply). `Database` reads the pool TypeORM keeps
 * as `driver.master`; this hands it one directly.
 */
export function creditsRepositoryOn(pool: Pool): CreditsRepository {
  return new CreditsRepository(new Database({ driver: { master: pool } } as unknown as DataSource));
}

/** The API keys repository (keys, their limits and period spend) on the given pool, as `creditsRepositoryOn`. */
export function apiKeysRepositoryOn(pool: Pool): ApiKeysRepository {
  return new ApiKeysRepository(new Database({ driver: { master: pool } } as unknown as DataSource));
}

/** A usage row as a chat logs it; the hold's own user and key are what the SQL functions record. */
export function usageEntry(userId: string, status: UsageStatus = UsageStatus.Success): UsageEntry {
  return {
    userId,
    apiKeyId: null,
    requestId: 'test-request',
    endpoint: 'chat',
    model: 'deepseek-chat',
    status,
    errorCode: null,
    promptTokens: 10,
    completionTokens: 5,
    cacheHitTokens: 0,
    cacheMissTokens: 10,
    reasoningTokens: 0,
    peak: true,
    latencyMs: 1,
    channel: 'deepseek',
    attempts: 1,
    promptChars: 2,
    promptPreview: 'hi',
  };
}
