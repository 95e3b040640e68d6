import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ApiKeyOwner, type ApiKeyRecord, ApiKeysRepository } from '#src/api-keys/api-keys.repository.js';
import { AppError } from '#src/common/app-error.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';
import {
  API_KEY_PREFIX,
  type ApiKeyLimitsChange,
  type ApiKeyView,
  type CreatedApiKey,
  ErrorCode,
} from '#src/contract/index.js';

/** Characters of the random part shown in listings: enough to tell keys apart, far too few to guess the rest. */
const VISIBLE_CHARACTERS = 8;

const hashKey = (key: string): Buffer => createHash('sha256').update(key).digest();

export function toApiKeyView(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    creditLimit: record.creditLimit,
    creditsSpent: record.creditsSpent,
    budget: record.budget,
    models: record.models,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    allowedIps: record.allowedIps,
    spend: {
      period: record.spend.period,
      credits: record.spend.credits,
      periodStart: record.spend.periodStart.toISOString(),
      resetsAt: record.spend.resetsAt.toISOString(),
    },
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
  };
}

const noSuchKey = (): AppError => new AppError(ErrorCode.NotFound, 'No such API key.');

const invalid = (field: keyof ApiKeyLimitsChange, message: string): AppError =>
  new AppError(ErrorCode.ValidationFailed, message, [{ field, messages: [message] }]);

/** A request's limits, only those it gave (an explicit null included): what update_api_key reads. */
function givenLimits(limits: ApiKeyLimitsChange): ApiKeyLimitsChange {
  const given: ApiKeyLimitsChange = {};
  if (limits.creditLimit !== undefined) given.creditLimit = limits.creditLimit;
  if (limits.budget !== undefined)
    given.budget = limits.budget && { credits: limits.budget.credits, period: limits.budget.period };
  if (limits.models !== undefined) given.models = limits.models;
  if (limits.expiresAt !== undefined) given.expiresAt = limits.expiresAt;
  if (limits.allowedIps !== undefined) given.allowedIps = limits.allowedIps;
  return given;
}

/**
 * API keys: 256 random bits behind a recognisable prefix, stored only as a SHA-256 hash (a slow
 * hash protects guessable secrets; these are not guessable, and every request checks one). Their
 * limits are docs/limits.md's.
 */
@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeysRepository) {}

  async create(userId: string, name: string, limits: ApiKeyLimitsChange): Promise<CreatedApiKey> {
    const checked = await this.checkedLimits(limits);
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = await this.keys.insert({
      userId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX.length + VISIBLE_CHARACTERS),
      secretHash: hashKey(key),
      limits: checked,
    });
    return { ...toApiKeyView(record), key };
  }

  /** The user's keys that are not revoked (expired ones too), with their limits and period's spend. */
  async list(userId: string): Promise<ApiKeyView[]> {
    return (await this.keys.listNotRevoked(userId)).map(toApiKeyView);
  }

  /** Its owner's change of a key: the fields given change, a limit given as null is removed. */
  async update(userId: string, id: string, change: ApiKeyLimitsChange & { name?: string }): Promise<ApiKeyView> {
    const limits = await this.checkedLimits(change);
    const changes = { ...(change.name === undefined ? {} : { name: change.name }), ...limits };
    return this.changedKey(() => this.keys.update(userId, id, changes));
  }

  /**
   * An admin's change of the limits of a key of `userId`'s. `adminToken`: the acting admin's access
   * token, which the SQL function verifies itself before it changes and audits anything.
   */
  async adminUpdate(
    adminToken: string,
    userId: string,
    id: string,
    change: ApiKeyLimitsChange,
    reason: string | null,
  ): Promise<ApiKeyView> {
    const limits = await this.checkedLimits(change);
    return this.changedKey(() => this.keys.adminUpdate({ adminToken, userId, id, limits, reason }));
  }

  /** An admin's revocation of a key of `userId`'s (verified and audited in SQL). */
  async adminRevoke(adminToken: string, userId: string, id: string): Promise<void> {
    if (!(await this.keys.adminRevoke({ adminToken, userId, id, reason: null }))) throw noSuchKey();
  }

  async revoke(userId: string, id: string): Promise<void> {
    if (!(await this.keys.revoke(userId, id))) throw noSuchKey();
  }

  /** The owner of a presented key, or undefined when it is unknown, revoked or expired. */
  authenticate(key: string): Promise<ApiKeyOwner | undefined> {
    return this.keys.findOwner(hashKey(key));
  }

  /**
   * The limits a request gave, once the checks that need the database or the clock pass: every
   * model id names a model of the price table, an expiry lies in the future.
   */
  async checkedLimits(limits: ApiKeyLimitsChange): Promise<ApiKeyLimitsChange> {
    const given = givenLimits(limits);
    if (given.models) {
      const unknown = await this.keys.unknownModels(given.models);
      if (unknown.length > 0) throw invalid('models', `models names unknown model ids: ${unknown.join(', ')}`);
    }
    if (given.expiresAt && Date.parse(given.expiresAt) <= Date.now()) {
      throw invalid('expiresAt', 'expiresAt must lie in the future');
    }
    return given;
  }

  /** A changed key, or 404; a lifetime limit below what the key has spent and holds is 400. */
  private async changedKey(change: () => Promise<ApiKeyRecord | undefined>): Promise<ApiKeyView> {
    let record: ApiKeyRecord | undefined;
    try {
      record = await change();
    } catch (error) {
      if (sqlStateOf(error) === SqlState.CheckViolation) {
        throw invalid('creditLimit', 'creditLimit must not be below what the key has spent and holds');
      }
      throw error;
    }
    if (!record) throw noSuchKey();
    return toApiKeyView(record);
  }
}
