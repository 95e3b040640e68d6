import { Injectable } from '@nestjs/common';
import type { Channel } from '#src/channels/channel.js';
import type { ChannelBalance } from '#src/contract/index.js';

/** DeepSeek's balance is read at most this often per channel. */
export const BALANCE_MAX_AGE_MS = 5 * 60_000;
const BALANCE_TIMEOUT_MS = 5_000;

/** `GET /user/balance` as DeepSeek answers it (amounts are strings). */
interface DeepSeekBalance {
  is_available?: unknown;
  balance_infos?: unknown;
}

/**
 * The upstream account balance of `deepseek` channels (DeepSeek's `GET /user/balance`), for the
 * console: read when asked, at most every 5 minutes per channel, and never in a chat's path.
 */
@Injectable()
export class ChannelBalances {
  private readonly cache = new Map<string, { key: string; balance: Promise<ChannelBalance> }>();

  /** Null for channels that are not DeepSeek's: OpenAI-compatible APIs have no such endpoint in common. */
  balanceOf(channel: Channel, now = Date.now()): Promise<ChannelBalance> | null {
    if (channel.kind !== 'deepseek') return null;
    const key = `${channel.baseUrl}|${channel.apiKey}`;
    const cached = this.cache.get(channel.id);
    if (cached?.key === key) return cached.balance;
    const balance = this.read(channel, now);
    this.cache.set(channel.id, { key, balance });
    setTimeout(() => {
      if (this.cache.get(channel.id)?.balance === balance) this.cache.delete(channel.id);
    }, BALANCE_MAX_AGE_MS).unref();
    return balance;
  }

  private async read(channel: Channel, now: number): Promise<ChannelBalance> {
    const checkedAt = new Date(now).toISOString();
    const failed = (error: string): ChannelBalance => ({ checkedAt, available: null, balances: [], error });
    try {
      const response = await fetch(balanceUrl(channel.baseUrl), {
        headers: { authorization: `Bearer ${channel.apiKey}`, accept: 'application/json' },
        signal: AbortSignal.timeout(BALANCE_TIMEOUT_MS),
      });
      if (!response.ok) return failed(`HTTP ${response.status}`);
      const body = (await response.json()) as DeepSeekBalance;
      const infos = Array.isArray(body.balance_infos) ? (body.balance_infos as Record<string, unknown>[]) : [];
      return {
        checkedAt,
        available: typeof body.is_available === 'boolean' ? body.is_available : null,
        balances: infos.map((info) => ({
          currency: textOf(info['currency']),
          total: textOf(info['total_balance']),
          granted: textOf(info['granted_balance']),
          toppedUp: textOf(info['topped_up_balance']),
        })),
        error: null,
      };
    } catch (error) {
      return failed(error instanceof Error && error.name === 'TimeoutError' ? 'no answer within 5 s' : 'unreachable');
    }
  }
}

/** DeepSeek sends amounts as strings ("10.00"); anything else shows as empty rather than as "[object Object]". */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 64) : typeof value === 'number' ? String(value) : '';
}

/** The balance lives at the API's root: `https://api.deepseek.com/user/balance`, whether or not the base URL ends in /v1. */
function balanceUrl(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${root}/user/balance`;
}
