import type { ChannelKind } from '#src/contract/index.js';

/** A `channels` row as the queries here read it. */
export interface ChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  built_in: boolean;
  base_url: string;
  api_key_ciphertext: string | null;
  api_key_last4: string;
  models: string[] | null;
  upstream_models: Record<string, string>;
  priority: number;
  weight: number;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A channel as routing uses it, its key decrypted (held in memory only, never logged or returned). */
export interface Channel {
  id: string;
  name: string;
  kind: ChannelKind;
  builtIn: boolean;
  baseUrl: string;
  apiKey: string;
  apiKeyLast4: string;
  /** The public ids served; null: every DeepSeek model of the catalog (the built-in channel). */
  models: readonly string[] | null;
  upstreamModels: Readonly<Record<string, string>>;
  priority: number;
  weight: number;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The context a channel's key is sealed under: a ciphertext opens only on its own row. */
export const apiKeyContext = (channelId: string): string => `channel:${channelId}:api-key`;

/** The last four characters: all that is ever shown of a key. */
export const lastFourOf = (apiKey: string): string => apiKey.slice(-4);
