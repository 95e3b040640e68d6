import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CallDeadline } from '#src/ai/call-deadline.js';
import type { CompletionResult } from '#src/ai/providers/ai-provider.js';
import { apiKeyContext, lastFourOf } from '#src/channels/channel.js';
import { ChannelBalances } from '#src/channels/channel-balance.js';
import { ChannelHealth } from '#src/channels/channel-health.js';
import { ChannelRegistry, type LoadedChannel } from '#src/channels/channel-registry.js';
import { channelErrorFor, ChannelErrors } from '#src/channels/channels.errors.js';
import { type ChannelChange, ChannelsRepository } from '#src/channels/channels.repository.js';
import type { CreateChannelDto, UpdateChannelDto } from '#src/channels/dto/channel.dto.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import type { ChannelTestResult, ChannelView } from '#src/contract/index.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { SecretBox } from '#src/secrets/secret-box.js';

/** A test call is small: a few tokens, and never longer than this. */
const TEST_MAX_TOKENS = 16;
const TEST_TIMEOUT_MS = 30_000;

/** Admin operations on channels (docs/channels.md): list with health, create, change, delete, test. */
@Injectable()
export class ChannelsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfigService,
    private readonly repository: ChannelsRepository,
    private readonly registry: ChannelRegistry,
    private readonly health: ChannelHealth,
    private readonly balances: ChannelBalances,
    private readonly secrets: SecretBox,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics.observeChannels(async () =>
      (await this.registry.channels()).map((channel) => ({
        channel: channel.name,
        state: this.stateOf(channel).state,
      })),
    );
  }

  async list(): Promise<ChannelView[]> {
    this.registry.forget();
    return Promise.all((await this.registry.channels()).map((channel) => this.viewOf(channel)));
  }

  async create(adminToken: string, request: CreateChannelDto): Promise<ChannelView> {
    const upstreamModels = request.upstreamModels ?? {};
    await this.checkModels(request.models, upstreamModels);
    const id = randomUUID();
    const row = await this.guarded(() =>
      this.repository.create(adminToken, {
        id,
        name: request.name,
        kind: request.kind,
        baseUrl: request.baseUrl,
        apiKeyCiphertext: this.secrets.seal(request.apiKey, apiKeyContext(id)),
        apiKeyLast4: lastFourOf(request.apiKey),
        models: request.models,
        upstreamModels,
        priority: request.priority ?? 0,
        weight: request.weight ?? 1,
        enabled: request.enabled ?? true,
      }),
    );
    return this.viewOf(await this.loaded(row.id));
  }

  async update(adminToken: string, id: string, request: UpdateChannelDto): Promise<ChannelView> {
    const current = (await this.registry.channels()).find((channel) => channel.id === id);
    if (current !== undefined && (request.models !== undefined || request.upstreamModels !== undefined)) {
      await this.checkModels(request.models ?? current.models ?? [], request.upstreamModels ?? current.upstreamModels);
    }
    const change: ChannelChange = {
      ...(request.name === undefined ? {} : { name: request.name }),
      ...(request.baseUrl === undefined ? {} : { baseUrl: request.baseUrl }),
      ...(request.apiKey === undefined
        ? {}
        : {
            apiKeyCiphertext: this.secrets.seal(request.apiKey, apiKeyContext(id)),
            apiKeyLast4: lastFourOf(request.apiKey),
          }),
      ...(request.models === undefined ? {} : { models: request.models }),
      ...(request.upstreamModels === undefined ? {} : { upstreamModels: request.upstreamModels }),
      ...(request.priority === undefined ? {} : { priority: request.priority }),
      ...(request.weight === undefined ? {} : { weight: request.weight }),
      ...(request.enabled === undefined ? {} : { enabled: request.enabled }),
    };
    await this.guarded(() => this.repository.update(adminToken, id, change));
    // Re-enabled, or given a new key or URL: it starts healthy.
    if (request.enabled === true || request.apiKey !== undefined || request.baseUrl !== undefined)
      this.health.reset(id);
    return this.viewOf(await this.loaded(id));
  }

  async delete(adminToken: string, id: string): Promise<void> {
    await this.guarded(() => this.repository.delete(adminToken, id));
    this.health.reset(id);
  }

  /**
   * One small real completion (charged to no user, counted in no health or usage): whether the
   * channel's URL, key and model work. Thinking is switched off on DeepSeek so that the few tokens
   * allowed go to the answer.
   */
  async test(id: string): Promise<ChannelTestResult> {
    const channel = await this.loaded(id);
    const model = this.testModelOf(channel);
    const deadline = new CallDeadline(Math.min(this.config.aiTimeoutMs, TEST_TIMEOUT_MS));
    const started = performance.now();
    let result: CompletionResult;
    try {
      result = await channel.provider.complete({
        model: channel.upstreamModels[model] ?? model,
        body: {
          messages: [{ role: 'user', content: 'Reply with the word OK.' }],
          ...(channel.kind === 'deepseek' ? { thinking: { type: 'disabled' } } : {}),
        },
        maxTokens: TEST_MAX_TOKENS,
        signal: deadline.signal,
      });
    } finally {
      deadline.end();
    }
    const latencyMs = Math.round(performance.now() - started);
    return { ok: answered(result), model, latencyMs, error: testErrorOf(result, deadline) };
  }

  /** The configured default model when the channel serves it, else the first it lists. */
  private testModelOf(channel: LoadedChannel): string {
    const models = channel.models;
    if (models === null || models.includes(this.config.aiDefaultModel)) return this.config.aiDefaultModel;
    return models[0] ?? this.config.aiDefaultModel;
  }

  private async checkModels(
    models: readonly string[],
    upstreamModels: Readonly<Record<string, string>>,
  ): Promise<void> {
    const known = await this.repository.knownModels(models);
    const unknown = models.filter((model) => !known.has(model));
    if (unknown.length > 0) throw ChannelErrors.unknownModels(unknown);
    const outside = Object.keys(upstreamModels).filter((model) => !models.includes(model));
    if (outside.length > 0) throw ChannelErrors.upstreamModelsOutsideModels(outside);
  }

  private async loaded(id: string): Promise<LoadedChannel> {
    this.registry.forget();
    const channel = (await this.registry.channels()).find((candidate) => candidate.id === id);
    if (channel === undefined) throw ChannelErrors.notFound();
    return channel;
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.registry.forget();
      return result;
    } catch (error) {
      throw channelErrorFor(error) ?? error;
    }
  }

  private stateOf(channel: LoadedChannel): Pick<ChannelView, 'state' | 'coolingUntil'> {
    if (!channel.enabled) return { state: 'disabled', coolingUntil: null };
    const { state, coolingUntil } = this.health.state(channel.id);
    return { state, coolingUntil: coolingUntil?.toISOString() ?? null };
  }

  private async viewOf(channel: LoadedChannel): Promise<ChannelView> {
    return {
      id: channel.id,
      name: channel.name,
      kind: channel.kind,
      builtIn: channel.builtIn,
      baseUrl: channel.baseUrl,
      apiKeyLast4: channel.apiKeyLast4,
      models: channel.models === null ? await this.repository.deepSeekModels() : [...channel.models],
      upstreamModels: { ...channel.upstreamModels },
      priority: channel.priority,
      weight: channel.weight,
      enabled: channel.enabled,
      disabledReason: channel.disabledReason,
      ...this.stateOf(channel),
      lastHour: this.health.lastHour(channel.id),
      balance: (await this.balances.balanceOf(channel)) ?? null,
      createdAt: channel.createdAt.toISOString(),
      updatedAt: channel.updatedAt.toISOString(),
    };
  }
}

/** The upstream answered as a completion: the channel works, whatever the few tokens said. */
function answered(result: CompletionResult): boolean {
  return result.outcome === 'ok' || result.outcome === 'empty' || result.outcome === 'bad_finish';
}

function testErrorOf(result: CompletionResult, deadline: CallDeadline): string | null {
  switch (result.outcome) {
    case 'ok':
    case 'empty':
    case 'bad_finish':
      return null;
    case 'upstream_error':
      return result.status === undefined
        ? 'the answer was not a completion'
        : `HTTP ${result.status}${result.message === undefined ? '' : `: ${result.message}`}`;
    case 'connection_error':
      return 'could not connect';
    case 'stalled':
      return 'the upstream went silent';
    case 'aborted':
      return deadline.timedOut ? 'no answer in time' : 'abandoned';
    case 'unavailable':
      return 'unavailable';
  }
}
