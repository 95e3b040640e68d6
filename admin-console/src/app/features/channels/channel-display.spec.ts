import type { ChannelBalance, ChannelState } from '@creditgate/contract';
import {
  balanceDisplay,
  channelStateLabel,
  disabledReasonOf,
  failureRateText,
  latencyText,
  maskedKey,
  upstreamNamesOf,
} from '@app/features/channels/channel-display';

const balance = (overrides: Partial<ChannelBalance> = {}): ChannelBalance => ({
  checkedAt: '2026-12-06T10:00:00.000Z',
  available: true,
  balances: [{ currency: 'CNY', total: '110.00', granted: '10.00', toppedUp: '100.00' }],
  error: null,
  ...overrides,
});

describe('channel wording', () => {
  it('shows a key only as a mask and its last four characters', () => {
    expect(maskedKey('9f3a')).toBe('•••• 9f3a');
    expect(maskedKey('')).toBe('—');
  });

  it('names each state, and why a channel is disabled', () => {
    const states: ChannelState[] = ['healthy', 'cooling', 'probing', 'disabled'];
    expect(states.map((state) => channelStateLabel(state))).toEqual(['Healthy', 'Cooling', 'Probing', 'Disabled']);
    expect(disabledReasonOf({ disabledReason: 'The upstream refused the key (401).' })).toBe(
      'The upstream refused the key (401).',
    );
    expect(disabledReasonOf({ disabledReason: null })).toBe('Turned off by an admin');
  });

  it('gives the failure rate to a tenth of a percent, and a dash without calls', () => {
    expect(failureRateText({ failureRate: 1 / 12 })).toBe('8.3 %');
    expect(failureRateText({ failureRate: 0 })).toBe('0 %');
    expect(failureRateText({ failureRate: null })).toBe('—');
    expect(latencyText(412.6)).toBe('413 ms');
    expect(latencyText(null)).toBe('—');
  });

  it("shows a DeepSeek account's balance per currency, its error, or a dash for other kinds", () => {
    expect(balanceDisplay({ kind: 'deepseek', balance: balance() })).toEqual({ text: 'CNY 110.00', problem: false });
    expect(
      balanceDisplay({
        kind: 'deepseek',
        balance: balance({
          balances: [
            { currency: 'CNY', total: '1.00', granted: '0.00', toppedUp: '1.00' },
            { currency: 'USD', total: '2.50', granted: '0.00', toppedUp: '2.50' },
          ],
        }),
      }),
    ).toEqual({ text: 'CNY 1.00 · USD 2.50', problem: false });
    expect(balanceDisplay({ kind: 'deepseek', balance: balance({ available: false }) })).toEqual({
      text: 'CNY 110.00 (cannot pay for calls)',
      problem: true,
    });
    expect(
      balanceDisplay({ kind: 'deepseek', balance: balance({ balances: [], error: 'Balance check answered 401' }) }),
    ).toEqual({ text: 'Balance check answered 401', problem: true });
    expect(balanceDisplay({ kind: 'deepseek', balance: null })).toEqual({ text: '—', problem: false });
    expect(balanceDisplay({ kind: 'openai-compatible', balance: balance() })).toEqual({ text: '—', problem: false });
  });

  it('lists the models called by another name upstream', () => {
    expect(upstreamNamesOf({ upstreamModels: { 'deepseek-flash': 'deepseek-v4-flash' } })).toEqual([
      'deepseek-flash → deepseek-v4-flash',
    ]);
    expect(upstreamNamesOf({ upstreamModels: {} })).toEqual([]);
  });
});
