import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IdempotencyErrors } from '#src/idempotency/idempotency.errors.js';
import { IdempotencyRepository, type IdempotencySlot } from '#src/idempotency/idempotency.repository.js';

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** A request that carries an Idempotency-Key. */
export interface IdempotentRequest {
  slot: IdempotencySlot;
  /** `fingerprint()` of the request as validated. */
  fingerprint: Buffer;
  /** How long a crashed request keeps blocking its key. */
  leaseMs: number;
}

/** An error after which the key stays taken: the request's charge may still be written (late). */
export interface KeepsIdempotencyKey {
  readonly keepsIdempotencyKey: true;
}

function keepsKey(error: unknown): boolean {
  return (error as Partial<KeepsIdempotencyKey> | null)?.keepsIdempotencyKey === true;
}

/**
 * Stripe-style idempotency keys. The first request with a key claims it for a lease (the call's
 * deadline and then some), so a crashed request stops blocking its key; its answer is stored for
 * 24 h and replayed to the same request. The same key with another body is 422, and while the
 * first is still running, 409. The answer is stored by the transaction that charges for it
 * (`IdempotencyRepository.complete` with that transaction), so a charged request always has its
 * record; a request that failed, and so cost nothing, gives its key back for a retry.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly records: IdempotencyRepository) {}

  /** The header's key, or undefined when absent; 400 when it is not 1–255 printable ASCII characters. */
  parseKey(header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    if (!keyPattern.test(header)) throw IdempotencyErrors.malformedKey();
    return header;
  }

  /** SHA-256 of the request as validated, with defaults applied, so equal requests hash equal. */
  fingerprint(request: Record<string, unknown>): Buffer {
    const canonical = JSON.stringify(
      Object.keys(request)
        .sort()
        .map((key) => [key, request[key]]),
    );
    return createHash('sha256').update(canonical).digest();
  }

  /**
   * Runs `work` once per key. `work` gets the slot to complete in its charging transaction; a replay
   * answers `revive(stored answer)` instead. When `work` throws, the key is given back unless its
   * answer was already stored.
   */
  async once<T>(
    request: IdempotentRequest | undefined,
    work: (slot: IdempotencySlot | undefined) => Promise<T>,
    revive: (storedAnswer: string) => T,
  ): Promise<T> {
    if (request === undefined) return work(undefined);
    const stored = await this.claim(request);
    if (stored !== undefined) return revive(stored);
    try {
      return await work(request.slot);
    } catch (error) {
      // Unreachable database: the lease runs out instead, and the failure that matters is `error`.
      if (!keepsKey(error)) await this.records.abandon(request.slot).catch(() => undefined);
      throw error;
    }
  }

  /** Undefined when this request now owns the key; the stored answer when it already has one. */
  private async claim(request: IdempotentRequest): Promise<string | undefined> {
    const { slot, fingerprint, leaseMs } = request;
    for (;;) {
      if (await this.records.claim(slot, fingerprint, leaseMs)) return undefined;
      const existing = await this.records.find(slot);
      // Gone between the two statements (its request failed and gave the key back): claim again.
      if (existing === undefined) continue;
      if (!existing.requestHash.equals(fingerprint)) throw IdempotencyErrors.reusedWithAnotherRequest();
      if (existing.status === 'in_progress' || existing.responseBody === null) {
        throw IdempotencyErrors.stillInProgress();
      }
      return existing.responseBody;
    }
  }
}
