import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OpenAiCompatibleProvider } from '#src/ai/providers/openai-compatible.provider.js';
import { apiKeyContext, type Channel, type ChannelRow, lastFourOf } from '#src/channels/channel.js';
import { ChannelsRepository } from '#src/channels/channels.repository.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { SecretBox, SecretsKeyMismatchError, UnreadableSecretError } from '#src/secrets/secret-box.js';

/**
 * How long the channel list read from the database is reused. A change made through this instance
 * applies at once (`forget`); other instances see it within this time.
 */
export const CHANNEL_CACHE_TTL_MS = 2_000;

/** A channel and the client that calls it. */
export interface LoadedChannel extends Channel {
  provider: OpenAiCompatibleProvider;
}

/**
 * The configured channels (db `channels`, plus DEEPSEEK_API_KEY's built-in one), their keys decrypted,
 * each with one upstream client that keeps its connections. Read from the database at most every
 * `CHANNEL_CACHE_TTL_MS`; clients are replaced when their channel changes. No channel at all: demo mode.
 */
@Injectable()
export class ChannelRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChannelRegistry.name);
  private loaded: { channels: LoadedChannel[]; expiresAt: number } | undefined;
  private loading: Promise<LoadedChannel[]> | undefined;
  /** One client per channel, kept while the channel's row is unchanged. */
  private readonly clients = new Map<string, { version: string; provider: OpenAiCompatibleProvider }>();

  constructor(
    private readonly config: AppConfigService,
    private readonly repository: ChannelsRepository,
    private readonly secrets: SecretBox,
  ) {}

  /**
   * Makes the built-in channel's row when DEEPSEEK_API_KEY is set, then opens every stored key: a
   * SECRETS_KEY that cannot stops boot with a message that says so.
   */
  async onApplicationBootstrap(): Promise<void> {
    const apiKey = this.config.deepseekApiKey;
    if (apiKey !== undefined) {
      await this.repository.ensureBuiltIn(randomUUID(), this.config.deepseekBaseUrl, lastFourOf(apiKey));
    }
    for (const row of await this.repository.list()) {
      if (row.api_key_ciphertext === null) continue;
      try {
        this.secrets.open(row.api_key_ciphertext, apiKeyContext(row.id));
      } catch (error) {
        if (error instanceof UnreadableSecretError) {
          throw new SecretsKeyMismatchError(`the stored API key of channel "${row.name}"`);
        }
        throw error;
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients.values()].map(({ provider }) => provider.close()));
    this.clients.clear();
  }

  /** Every channel, enabled or not, in priority order. */
  async channels(): Promise<LoadedChannel[]> {
    if (this.loaded !== undefined && this.loaded.expiresAt > performance.now()) return this.loaded.channels;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** No channel is configured: chats are answered by the local demo provider. */
  async isDemoMode(): Promise<boolean> {
    return (await this.channels()).length === 0;
  }

  /** After a change made here: the next request reads the table again. */
  forget(): void {
    this.loaded = undefined;
  }

  private async load(): Promise<LoadedChannel[]> {
    const rows = await this.repository.list();
    const channels: LoadedChannel[] = [];
    for (const row of rows) {
      const channel = this.channelOf(row);
      if (channel !== undefined) channels.push({ ...channel, provider: this.clientFor(channel) });
    }
    const present = new Set(channels.map((channel) => channel.id));
    for (const [id, client] of this.clients) {
      if (!present.has(id)) {
        this.clients.delete(id);
        void client.provider.close();
      }
    }
    this.loaded = { channels, expiresAt: performance.now() + CHANNEL_CACHE_TTL_MS };
    return channels;
  }

  /** The row as routing uses it; undefined for the built-in row while DEEPSEEK_API_KEY is unset. */
  private channelOf(row: ChannelRow): Channel | undefined {
    let apiKey: string;
    let baseUrl = row.base_url;
    if (row.built_in) {
      if (this.config.deepseekApiKey === undefined) return undefined;
      apiKey = this.config.deepseekApiKey;
      baseUrl = this.config.deepseekBaseUrl;
    } else {
      try {
        apiKey = this.secrets.open(row.api_key_ciphertext ?? '', apiKeyContext(row.id));
      } catch {
        // Boot checked every key; a row written since with another SECRETS_KEY is skipped, not a 500.
        this.logger.error({ channel: row.name }, 'A channel key cannot be decrypted with SECRETS_KEY; channel skipped');
        return undefined;
      }
    }
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      builtIn: row.built_in,
      baseUrl,
      apiKey,
      apiKeyLast4: row.built_in ? lastFourOf(apiKey) : row.api_key_last4,
      models: row.models,
      upstreamModels: row.upstream_models,
      priority: row.priority,
      weight: row.weight,
      enabled: row.enabled,
      disabledReason: row.disabled_reason,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private clientFor(channel: Channel): OpenAiCompatibleProvider {
    const version = `${channel.updatedAt.getTime()}|${channel.baseUrl}|${channel.apiKeyLast4}`;
    const current = this.clients.get(channel.id);
    if (current?.version === version) return current.provider;
    if (current !== undefined) void current.provider.close();
    const provider = new OpenAiCompatibleProvider({
      baseUrl: channel.baseUrl,
      apiKey: channel.apiKey,
      idleTimeoutMs: this.config.streamIdleTimeoutMs,
      callTimeoutMs: this.config.aiTimeoutMs,
    });
    this.clients.set(channel.id, { version, provider });
    return provider;
  }
}
