import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { UsageStatus } from '#src/usage/usage-log.js';

/** What pg's Pool reports about itself (TypeORM's postgres driver keeps it as `master`). */
interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Prometheus metrics on a registry of this app's own (not prom-client's global one), so several
 * apps in one process — tests — do not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'creditgate_http_requests_total',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'creditgate_http_request_duration_seconds',
    help: 'HTTP request duration by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly upstreamLatency = new Histogram({
    name: 'creditgate_ai_upstream_latency_seconds',
    help: 'Duration of AI provider calls by model and outcome.',
    labelNames: ['model', 'status'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
    registers: [this.registry],
  });

  readonly aiAttempts = new Counter({
    name: 'creditgate_ai_attempts_total',
    help: 'AI attempts by endpoint, model and outcome (the usage row status).',
    labelNames: ['endpoint', 'model', 'status'] as const,
    registers: [this.registry],
  });

  readonly creditsCharged = new Counter({
    name: 'creditgate_credits_charged_total',
    help: 'Credits charged for AI answers, by model.',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly holdsReleasedBySweeper = new Counter({
    name: 'creditgate_holds_expired_total',
    help: 'Credit holds released by the sweeper after their request died.',
    registers: [this.registry],
  });

  readonly channelCalls = new Counter({
    name: 'creditgate_channel_calls_total',
    help: 'Upstream calls by channel and outcome; failover makes several per request, each paid upstream.',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly channelLatency = new Histogram({
    name: 'creditgate_channel_call_duration_seconds',
    help: 'Duration of upstream calls by channel.',
    labelNames: ['channel'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'creditgate_webhook_attempts_total',
    help: 'Webhook delivery attempts by event type and outcome (delivered, retry, failed).',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'creditgate_' });
    new Gauge({
      name: 'creditgate_db_pool_connections',
      help: 'Database pool connections by state.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = (dataSource.driver as unknown as { master?: PoolCounts }).master;
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /**
   * The open-holds gauge, read from `count` at each scrape. Registered by the credits module, which
   * owns the holds, so that this global module needs no repository of its own.
   */
  observeOpenHolds(count: () => Promise<number>): void {
    if (this.registry.getSingleMetric('creditgate_credit_holds_open')) return;
    new Gauge({
      name: 'creditgate_credit_holds_open',
      help: 'Credit holds open now (calls in flight, or left by dead ones until they expire).',
      registers: [this.registry],
      async collect() {
        this.set(await count());
      },
    });
  }

  /** The channel-state gauge, read from `states` at each scrape (registered by the channels module). */
  observeChannels(states: () => Promise<{ channel: string; state: string }[]>): void {
    if (this.registry.getSingleMetric('creditgate_channel_state')) return;
    new Gauge({
      name: 'creditgate_channel_state',
      help: 'Channel state on this instance: 1 for the state it is in (healthy, cooling, probing, disabled).',
      labelNames: ['channel', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { channel, state } of await states()) this.set({ channel, state }, 1);
      },
    });
  }

  /** One upstream call of a channel (one attempt of a request). */
  recordChannelCall(channel: string, outcome: string, latencyMs: number): void {
    this.channelCalls.inc({ channel, outcome });
    this.channelLatency.observe({ channel }, latencyMs / 1000);
  }

  recordWebhookAttempt(type: string, outcome: 'delivered' | 'retry' | 'failed'): void {
    this.webhookAttempts.inc({ type, outcome });
  }

  /** One finished AI attempt: its outcome, and what it cost. */
  recordAttempt(attempt: {
    endpoint: string;
    model: string;
    status: UsageStatus;
    latencyMs: number;
    credits: number;
  }): void {
    this.aiAttempts.inc({ endpoint: attempt.endpoint, model: attempt.model, status: attempt.status });
    if (attempt.latencyMs > 0) {
      this.upstreamLatency.observe({ model: attempt.model, status: attempt.status }, attempt.latencyMs / 1000);
    }
    if (attempt.credits > 0) this.creditsCharged.inc({ model: attempt.model }, attempt.credits);
  }
}
