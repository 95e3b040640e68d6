import { Injectable } from '@nestjs/common';
import { AppConfigService } from '#src/config/app-config.service.js';
import type { ChannelState, ChannelStats } from '#src/contract/index.js';

/** How one upstream call went, for the channel's health. */
export type CallVerdict =
  /** The upstream answered (whatever the answer): the channel works. */
  | 'answered'
  /** A retryable failure (connection, timeout, 408, 429, 5xx): counts towards a cool-down. */
  | 'failed'
  /** Neither: the client left, or the request itself was refused (400, 422); says nothing of the channel. */
  | 'neutral';

/** A change this instance saw: the channel began cooling down, or a probe found it back. */
export type HealthTransition = 'down' | 'up';

/** May a request call the channel now: yes; yes as the one probe after a cool-down; or no. */
export type Admission = 'yes' | 'probe' | 'no';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Latencies kept per minute for the p50: enough for a median, bounded whatever the traffic. */
const LATENCY_SAMPLES_PER_MINUTE = 120;

interface MinuteBucket {
  minute: number;
  requests: number;
  failures: number;
  latencies: number[];
}

interface Health {
  /** When the retryable failures of the current window happened. */
  failures: number[];
  coolingUntil: number | null;
  /** Cool-downs since the channel last answered a probe: each doubles the next. */
  consecutiveCooldowns: number;
  probeInFlight: boolean;
  lastError: { at: number; message: string } | null;
  minutes: MinuteBucket[];
}

/**
 * Each channel's health on this instance (docs/channels.md, health): `failureThreshold` retryable
 * failures within `failureWindowMs` start a cool-down of `cooldownMs`, doubled for each consecutive one
 * up to `cooldownMaxMs`; when it ends, one request probes the channel — an answer makes it healthy,
 * a failure starts the next, longer cool-down. Also the last hour's requests, failures and latency.
 * In memory: each instance learns on its own, which costs each at most `failureThreshold` failed calls.
 */
@Injectable()
export class ChannelHealth {
  private readonly channels = new Map<string, Health>();
  private readonly rules: AppConfigService['channelHealth'];

  constructor(config: AppConfigService) {
    this.rules = config.channelHealth;
  }

  admit(channelId: string, now = Date.now()): Admission {
    const health = this.channels.get(channelId);
    if (health?.coolingUntil == null) return 'yes';
    if (now < health.coolingUntil || health.probeInFlight) return 'no';
    health.probeInFlight = true;
    return 'probe';
  }

  /** Records one call; answers the change it made to the channel's state, if any. */
  record(
    channelId: string,
    call: { verdict: CallVerdict; admission: Admission; latencyMs: number; error?: string },
    now = Date.now(),
  ): HealthTransition | undefined {
    const health = this.healthOf(channelId);
    this.count(health, call.verdict === 'failed', call.latencyMs, now);
    if (call.error !== undefined) health.lastError = { at: now, message: call.error };
    if (call.admission === 'probe') {
      health.probeInFlight = false;
      if (call.verdict === 'answered') {
        health.coolingUntil = null;
        health.consecutiveCooldowns = 0;
        health.failures = [];
        return 'up';
      }
      // A failed probe: still down, for longer.
      if (call.verdict === 'failed') this.coolDown(health, now);
      return undefined;
    }
    if (call.verdict !== 'failed' || health.coolingUntil !== null) return undefined;
    health.failures = health.failures.filter((at) => at > now - this.rules.failureWindowMs);
    health.failures.push(now);
    if (health.failures.length < this.rules.failureThreshold) return undefined;
    this.coolDown(health, now);
    return 'down';
  }

  /** A probe that never ran to a verdict (a fault of ours): the next request may probe instead. */
  abandon(channelId: string, admission: Admission): void {
    if (admission === 'probe') this.healthOf(channelId).probeInFlight = false;
  }

  /** Forgets a deleted channel, or one an admin re-enabled: it starts healthy. */
  reset(channelId: string): void {
    this.channels.delete(channelId);
  }

  /** Every channel starts healthy again (tests, between cases). */
  forgetAll(): void {
    this.channels.clear();
  }

  state(channelId: string, now = Date.now()): { state: Exclude<ChannelState, 'disabled'>; coolingUntil: Date | null } {
    const health = this.channels.get(channelId);
    if (health?.coolingUntil == null) return { state: 'healthy', coolingUntil: null };
    if (now < health.coolingUntil) return { state: 'cooling', coolingUntil: new Date(health.coolingUntil) };
    return { state: 'probing', coolingUntil: null };
  }

  lastHour(channelId: string, now = Date.now()): ChannelStats {
    const health = this.channels.get(channelId);
    const minutes = health?.minutes.filter((bucket) => bucket.minute > (now - HOUR_MS) / MINUTE_MS) ?? [];
    const requests = minutes.reduce((sum, bucket) => sum + bucket.requests, 0);
    const failures = minutes.reduce((sum, bucket) => sum + bucket.failures, 0);
    const latencies = minutes.flatMap((bucket) => bucket.latencies).sort((a, b) => a - b);
    const lastError = health?.lastError != null && health.lastError.at > now - HOUR_MS ? health.lastError : null;
    return {
      requests,
      failures,
      failureRate: requests === 0 ? null : failures / requests,
      p50LatencyMs: latencies.length === 0 ? null : (latencies[Math.floor((latencies.length - 1) / 2)] ?? null),
      lastError: lastError === null ? null : { at: new Date(lastError.at).toISOString(), message: lastError.message },
    };
  }

  private coolDown(health: Health, now: number): void {
    const factor = 2 ** Math.min(health.consecutiveCooldowns, 30);
    health.coolingUntil = now + Math.min(this.rules.cooldownMs * factor, this.rules.cooldownMaxMs);
    health.consecutiveCooldowns += 1;
    health.failures = [];
  }

  private count(health: Health, failed: boolean, latencyMs: number, now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    let bucket = health.minutes.at(-1);
    if (bucket?.minute !== minute) {
      bucket = { minute, requests: 0, failures: 0, latencies: [] };
      health.minutes.push(bucket);
      while ((health.minutes[0]?.minute ?? minute) <= minute - 60) health.minutes.shift();
    }
    bucket.requests += 1;
    if (failed) bucket.failures += 1;
    // Reservoir sampling keeps a fair sample of the minute's latencies in bounded memory.
    if (bucket.latencies.length < LATENCY_SAMPLES_PER_MINUTE) bucket.latencies.push(latencyMs);
    else {
      const slot = Math.floor(Math.random() * bucket.requests);
      if (slot < LATENCY_SAMPLES_PER_MINUTE) bucket.latencies[slot] = latencyMs;
    }
  }

  private healthOf(channelId: string): Health {
    let health = this.channels.get(channelId);
    if (health === undefined) {
      health = {
        failures: [],
        coolingUntil: null,
        consecutiveCooldowns: 0,
        probeInFlight: false,
        lastError: null,
        minutes: [],
      };
      this.channels.set(channelId, health);
    }
    return health;
  }
}
