import { Injectable } from '@nestjs/common';
import type { ChannelRow } from '#src/channels/channel.js';
import { Database } from '#src/database/database.service.js';

/** What an admin sets on a new channel; the key already sealed. */
export interface NewChannel {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  apiKeyCiphertext: string;
  apiKeyLast4: string;
  models: string[];
  upstreamModels: Record<string, string>;
  priority: number;
  weight: number;
  enabled: boolean;
}

/** A change to a channel: undefined keeps the field. */
export type ChannelChange = Partial<Omit<NewChannel, 'id' | 'kind'>>;

/**
 * The `channels` table. The runtime role only reads it; every change goes through the functions of
 * db/migrations/0011, which verify the admin's access token and audit the change.
 */
@Injectable()
export class ChannelsRepository {
  constructor(private readonly db: Database) {}

  list(): Promise<ChannelRow[]> {
    return this.db.rows<ChannelRow>('SELECT * FROM channels ORDER BY priority, lower(name)');
  }

  /** The catalog's ids among `models` that a channel may serve: enabled or not, never the demo's. */
  async knownModels(models: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.rows<{ model: string }>(
      `SELECT model FROM model_prices WHERE model = ANY($1::text[]) AND provider <> 'demo'`,
      [models],
    );
    return new Set(rows.map((row) => row.model));
  }

  /** What the built-in channel serves: every DeepSeek model of the catalog. */
  async deepSeekModels(): Promise<string[]> {
    const rows = await this.db.rows<{ model: string }>(
      `SELECT model FROM model_prices WHERE provider = 'deepseek' ORDER BY model`,
    );
    return rows.map((row) => row.model);
  }

  async create(adminToken: string, channel: NewChannel): Promise<ChannelRow> {
    const row = await this.db.first<ChannelRow>(
      `SELECT * FROM admin_create_channel(
                p_actor_token => $1::text, p_id => $2::uuid, p_name => $3::text, p_kind => $4::text,
                p_base_url => $5::text, p_api_key_ciphertext => $6::text, p_api_key_last4 => $7::text,
                p_models => $8::text[], p_upstream_models => $9::jsonb, p_priority => $10::integer,
                p_weight => $11::integer, p_enabled => $12::boolean)`,
      [
        adminToken,
        channel.id,
        channel.name,
        channel.kind,
        channel.baseUrl,
        channel.apiKeyCiphertext,
        channel.apiKeyLast4,
        channel.models,
        JSON.stringify(channel.upstreamModels),
        channel.priority,
        channel.weight,
        channel.enabled,
      ],
    );
    if (!row) throw new Error('admin_create_channel answered no row');
    return row;
  }

  async update(adminToken: string, id: string, change: ChannelChange): Promise<ChannelRow> {
    const row = await this.db.first<ChannelRow>(
      `SELECT * FROM admin_update_channel(
                p_actor_token => $1::text, p_id => $2::uuid, p_name => $3::text, p_base_url => $4::text,
                p_api_key_ciphertext => $5::text, p_api_key_last4 => $6::text, p_models => $7::text[],
                p_upstream_models => $8::jsonb, p_priority => $9::integer, p_weight => $10::integer,
                p_enabled => $11::boolean)`,
      [
        adminToken,
        id,
        change.name ?? null,
        change.baseUrl ?? null,
        change.apiKeyCiphertext ?? null,
        change.apiKeyLast4 ?? null,
        change.models ?? null,
        change.upstreamModels === undefined ? null : JSON.stringify(change.upstreamModels),
        change.priority ?? null,
        change.weight ?? null,
        change.enabled ?? null,
      ],
    );
    if (!row) throw new Error('admin_update_channel answered no row');
    return row;
  }

  async delete(adminToken: string, id: string): Promise<void> {
    await this.db.first('SELECT admin_delete_channel($1::text, $2::uuid)', [adminToken, id]);
  }

  /** True when this call turned the channel off (it was on): the one caller that raises the alert. */
  async disableAfterRefusal(id: string, reason: string): Promise<boolean> {
    const row = await this.db.first<{ disabled: boolean }>(
      'SELECT disable_channel_after_refusal($1::uuid, $2::text) AS disabled',
      [id, reason],
    );
    return row?.disabled ?? false;
  }

  /** The shared down/up state (db 0013 `channel_health_changed`); true when this call changed it. */
  async healthChanged(id: string, down: boolean, reason: string): Promise<boolean> {
    const row = await this.db.first<{ changed: boolean }>(
      'SELECT channel_health_changed($1::uuid, $2::boolean, $3::text) AS changed',
      [id, down, reason],
    );
    return row?.changed ?? false;
  }

  /** The built-in channel's row, made on first use; what admins set on it is kept. */
  async ensureBuiltIn(candidateId: string, baseUrl: string, apiKeyLast4: string): Promise<void> {
    await this.db.first('SELECT id FROM ensure_built_in_channel($1::uuid, $2::text, $3::text)', [
      candidateId,
      baseUrl,
      apiKeyLast4,
    ]);
  }
}
