import { Injectable } from '@nestjs/common';
import { ModelsRepository } from '#src/ai/models.repository.js';
import type { ModelPrice } from '#src/credits/pricing.js';

/**
 * How long a price read from the database is reused. Prices change rarely and a chat's hold and
 * charge both use the same price object, so a chat is always priced consistently; an admin's change
 * through this instance applies at once (`forget`), and reaches other instances within this time.
 */
export const PRICE_CACHE_TTL_MS = 1000;

/**
 * The usable price of each model, read once a second rather than once a chat: one database round
 * trip fewer on the hot path (docs/benchmarks.md). Only found prices are kept, so a model enabled
 * or added is usable on its next request.
 */
@Injectable()
export class ModelPriceCache {
  private readonly entries = new Map<string, { price: ModelPrice; expiresAt: number }>();

  constructor(private readonly models: ModelsRepository) {}

  async findUsable(model: string, providers: readonly ('deepseek' | 'demo')[]): Promise<ModelPrice | undefined> {
    const key = `${providers.join(',')}/${model}`;
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.expiresAt > performance.now()) return cached.price;
    const price = await this.models.findUsable(model, providers);
    if (price === undefined) this.entries.delete(key);
    else this.entries.set(key, { price, expiresAt: performance.now() + PRICE_CACHE_TTL_MS });
    return price;
  }

  /** After a price change made here: the next chat reads the new price. */
  forget(): void {
    this.entries.clear();
  }
}
