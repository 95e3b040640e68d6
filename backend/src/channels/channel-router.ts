import { Injectable, Logger } from '@nestjs/common';
import { CallDeadline } from '#src/ai/call-deadline.js';
import type { AiProvider, TransportFailure } from '#src/ai/providers/ai-provider.js';
import { DemoProvider } from '#src/ai/providers/demo.provider.js';
import { type Admission, type CallVerdict, ChannelHealth } from '#src/channels/channel-health.js';
import { ChannelRegistry, type LoadedChannel } from '#src/channels/channel-registry.js';
import { ChannelsRepository } from '#src/channels/channels.repository.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import type { ModelPrice } from '#src/credits/pricing.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/** How an upstream call ended, as routing needs to know it. */
export type CallEnding =
  | { kind: 'answered' }
  /** `reachedClient`: part of the answer was already sent (a stream): never retried. */
  | { kind: 'failed'; failure: TransportFailure; reachedClient: boolean };

/** One request's upstream calls: the last call's value, and how the request was served. */
export interface RoutedCall<T> {
  value: T;
  latencyMs: number;
  deadline: CallDeadline;
  /** The channel that answered, or the last that failed; null in demo mode or when none could be tried. */
  channel: string | null;
  attempts: number;
}

/** One call of a request: which upstream, under which name, with the request's one signal. */
export type UpstreamCall<T> = (provider: AiProvider, upstreamModel: string, signal: AbortSignal) => Promise<T>;

/** Statuses that say the upstream (not the request) failed, so another channel may answer. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** The channel's own key or account was refused: it is disabled, and another channel may answer. */
const REFUSAL_STATUSES = new Set([401, 402]);

/** What a failed call means for routing: retry elsewhere, the channel's health, and its metric label. */
interface Judgement {
  retry: boolean;
  verdict: CallVerdict;
  label: string;
  /** For the channel's last error; never the key or the request. */
  error?: string;
  /** Disable the channel: its upstream refused its key or account. */
  refusal?: string;
}

/**
 * Routes a request over the channels that serve its model (docs/channels.md): the lowest priority
 * number first, weighted random within a priority, skipping disabled and cooling channels. A failure
 * that reached no client and is the upstream's — no connection, silence, 408, 429, 5xx, or a refused
 * key or account (401, 402, which also disables the channel) — moves on to the next channel while the
 * request's one deadline (`AI_TIMEOUT_MS`, all calls together) lasts. Without channels, the demo
 * provider answers.
 */
@Injectable()
export class ChannelRouter {
  private readonly logger = new Logger(ChannelRouter.name);
  private readonly demo = new DemoProvider();

  constructor(
    private readonly config: AppConfigService,
    private readonly registry: ChannelRegistry,
    private readonly health: ChannelHealth,
    private readonly repository: ChannelsRepository,
    private readonly metrics: MetricsService,
  ) {}

  /** The catalog providers a model must belong to, to be served now (demo models only in demo mode). */
  async servedProviders(): Promise<('deepseek' | 'demo')[]> {
    return (await this.registry.isDemoMode()) ? ['deepseek', 'demo'] : ['deepseek'];
  }

  /**
   * Whether a channel serves the model (always, in demo mode), enabled or not: a model whose channels
   * are all off or cooling is still the catalog's — its requests answer 500 AI_PROVIDER_ERROR, "no
   * channel available", rather than 404 as if it did not exist.
   */
  async serves(price: ModelPrice): Promise<boolean> {
    const channels = await this.registry.channels();
    return channels.length === 0 || channels.some((channel) => servesModel(channel, price));
  }

  /**
   * Calls upstream for one request: channel after channel until one answers, a failure may not be
   * retried, or the deadline passes. `unavailable` is the value when no channel could be tried.
   */
  async call<T>(
    price: ModelPrice,
    clientGone: AbortSignal,
    call: UpstreamCall<T>,
    endingOf: (value: T) => CallEnding,
    unavailable: T,
  ): Promise<RoutedCall<T>> {
    const deadline = new CallDeadline(this.config.aiTimeoutMs, clientGone);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const channels = await this.registry.channels();
      if (channels.length === 0) {
        const value = await call(this.demo, price.upstreamModel, deadline.signal);
        return { value, latencyMs: elapsed(), deadline, channel: null, attempts: 1 };
      }
      let last: { value: T; channel: string } | undefined;
      let attempts = 0;
      for (const channel of this.candidates(channels, price)) {
        if (deadline.signal.aborted) break;
        const admission = this.health.admit(channel.id);
        if (admission === 'no') continue;
        attempts += 1;
        const value = await this.callChannel(channel, admission, price, deadline, call, endingOf);
        last = { value: value.value, channel: channel.name };
        if (!value.retry) break;
      }
      return {
        value: last?.value ?? unavailable,
        latencyMs: elapsed(),
        deadline,
        channel: last?.channel ?? null,
        attempts,
      };
    } finally {
      deadline.end();
    }
  }

  /** The enabled channels serving the model: by priority, then weighted random within each priority. */
  private candidates(channels: readonly LoadedChannel[], price: ModelPrice): LoadedChannel[] {
    const keyed = channels
      .filter((channel) => channel.enabled && servesModel(channel, price))
      // Efraimidis–Spirakis: sorting by u^(1/weight) draws a weighted random order in one pass.
      .map((channel) => ({ channel, key: Math.random() ** (1 / channel.weight) }));
    keyed.sort((a, b) => a.channel.priority - b.channel.priority || b.key - a.key);
    return keyed.map(({ channel }) => channel);
  }

  private async callChannel<T>(
    channel: LoadedChannel,
    admission: Admission,
    price: ModelPrice,
    deadline: CallDeadline,
    call: UpstreamCall<T>,
    endingOf: (value: T) => CallEnding,
  ): Promise<{ value: T; retry: boolean }> {
    const started = performance.now();
    let value: T;
    try {
      value = await call(channel.provider, channel.upstreamModels[price.model] ?? price.upstreamModel, deadline.signal);
    } catch (error) {
      this.health.abandon(channel.id, admission);
      throw error;
    }
    const latencyMs = Math.round(performance.now() - started);
    const ending = endingOf(value);
    const judgement: Judgement =
      ending.kind === 'answered'
        ? { retry: false, verdict: 'answered', label: 'answered' }
        : judge(ending.failure, deadline, ending.reachedClient);
    const transition = this.health.record(channel.id, {
      verdict: judgement.verdict,
      admission,
      latencyMs,
      ...(judgement.error === undefined ? {} : { error: judgement.error }),
    });
    if (transition !== undefined) this.announce(channel, transition, judgement.error);
    this.metrics.recordChannelCall(channel.name, judgement.label, latencyMs);
    if (judgement.refusal !== undefined) await this.disable(channel, judgement.refusal);
    return { value, retry: judgement.retry };
  }

  /**
   * Tells the shared state (and so the channel.down / channel.up alerts, once per change whatever the
   * number of instances) what this instance saw. Off the request's path: the answer does not wait.
   */
  private announce(channel: LoadedChannel, transition: 'down' | 'up', error: string | undefined): void {
    const reason =
      transition === 'down' ? `cooling down after repeated failures (last: ${error ?? 'unknown'})` : 'a probe answered';
    this.repository.healthChanged(channel.id, transition === 'down', reason).catch((failure: unknown) => {
      this.logger.warn({ channel: channel.name, err: failure }, 'Could not record a channel health change');
    });
  }

  /** The upstream refused the channel's key or account: off until an admin enables it again. */
  private async disable(channel: LoadedChannel, reason: string): Promise<void> {
    try {
      if (await this.repository.disableAfterRefusal(channel.id, reason)) {
        this.logger.warn(
          { channel: channel.name, reason },
          'Channel disabled: its upstream refused its key or account',
        );
      }
      this.registry.forget();
    } catch (error) {
      // The request goes on to the next channel; the next refusal tries again.
      this.logger.error({ channel: channel.name, err: error }, 'Could not disable a refused channel');
    }
  }
}

/** Whether the channel serves the model: listed, or (built-in) any DeepSeek model of the catalog. */
export function servesModel(channel: LoadedChannel, price: ModelPrice): boolean {
  return channel.models === null ? price.provider === 'deepseek' : channel.models.includes(price.model);
}

function judge(failure: TransportFailure, deadline: CallDeadline, reachedClient: boolean): Judgement {
  switch (failure.outcome) {
    case 'aborted':
      // The deadline is the request's, not the call's: when it fired, no time is left for another call.
      return deadline.timedOut
        ? { retry: false, verdict: 'failed', label: 'timeout', error: 'no answer before the request deadline' }
        : { retry: false, verdict: 'neutral', label: 'client_gone' };
    case 'stalled':
      return { retry: !reachedClient, verdict: 'failed', label: 'stalled', error: 'the upstream went silent' };
    case 'connection_error':
      return { retry: !reachedClient, verdict: 'failed', label: 'connection_error', error: 'connection failed' };
    case 'unavailable':
      return { retry: false, verdict: 'neutral', label: 'unavailable' };
    case 'upstream_error': {
      const { status } = failure;
      const label = status === undefined ? 'bad_response' : `http_${status}`;
      if (status !== undefined && REFUSAL_STATUSES.has(status)) {
        const refusal =
          status === 401
            ? 'the upstream refused the API key (HTTP 401)'
            : 'the upstream account has no balance (HTTP 402)';
        return { retry: !reachedClient, verdict: 'neutral', label, error: refusal, refusal };
      }
      if (status !== undefined && RETRYABLE_STATUSES.has(status)) {
        return { retry: !reachedClient, verdict: 'failed', label, error: `HTTP ${status}` };
      }
      if (status === 400 || status === 422) return { retry: false, verdict: 'neutral', label: 'client_error' };
      return {
        retry: false,
        verdict: 'neutral',
        label,
        error: status === undefined ? 'an answer that is not a completion' : `HTTP ${status}`,
      };
    }
  }
}
