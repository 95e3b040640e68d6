import type { ChannelBalance, ChannelState, ChannelStats, ChannelView } from '@creditgate/contract';

/** Shown where a figure does not apply or is not known yet. */
export const NOT_APPLICABLE = '—';

const STATE_LABELS: Record<ChannelState, string> = {
  healthy: 'Healthy',
  cooling: 'Cooling',
  probing: 'Probing',
  disabled: 'Disabled',
};

export function channelStateLabel(state: ChannelState): string {
  return STATE_LABELS[state];
}

/**
 * Why a disabled channel is off: the upstream's refusal the backend recorded, or else an admin's
 * switch (the API keeps no reason for that one).
 */
export function disabledReasonOf(channel: Pick<ChannelView, 'disabledReason'>): string {
  return channel.disabledReason ?? 'Turned off by an admin';
}

/** All the console ever shows of a key: its last four characters behind a mask. */
export function maskedKey(apiKeyLast4: string): string {
  return apiKeyLast4 === '' ? NOT_APPLICABLE : `•••• ${apiKeyLast4}`;
}

/** "8.3 %" of the last hour's calls failed; a dash without calls (no rate to speak of). */
export function failureRateText(stats: Pick<ChannelStats, 'failureRate'>): string {
  if (stats.failureRate === null) return NOT_APPLICABLE;
  const percent = Math.round(stats.failureRate * 1000) / 10;
  return `${String(percent)} %`;
}

export function latencyText(latencyMs: number | null): string {
  return latencyMs === null ? NOT_APPLICABLE : `${String(Math.round(latencyMs))} ms`;
}

/** The upstream account's balance as the row shows it, or why it could not be read. */
export interface BalanceDisplay {
  text: string;
  /** The text is the reason the balance could not be read (or says it cannot pay). */
  problem: boolean;
}

/**
 * DeepSeek's balance per currency ("USD 10.00"). Only `deepseek` channels have one; a channel whose
 * balance has not been read yet shows a dash like the others.
 */
export function balanceDisplay(channel: Pick<ChannelView, 'kind' | 'balance'>): BalanceDisplay {
  const balance: ChannelBalance | null = channel.kind === 'deepseek' ? channel.balance : null;
  if (balance === null) return { text: NOT_APPLICABLE, problem: false };
  if (balance.error !== null) return { text: balance.error, problem: true };
  const totals = balance.balances.map((entry) => `${entry.currency} ${entry.total}`).join(' · ');
  if (balance.available === false) return { text: `${totals || NOT_APPLICABLE} (cannot pay for calls)`, problem: true };
  return { text: totals || NOT_APPLICABLE, problem: false };
}

/** "deepseek-chat → deepseek-flash" for each model the channel calls by another name upstream. */
export function upstreamNamesOf(channel: Pick<ChannelView, 'upstreamModels'>): string[] {
  return Object.entries(channel.upstreamModels).map(([model, upstream]) => `${model} → ${upstream}`);
}
