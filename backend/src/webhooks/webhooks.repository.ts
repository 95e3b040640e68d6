import { Injectable } from '@nestjs/common';
import type { WebhookDeliveryStatus, WebhookEventBody } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import type { ClaimedDelivery, WebhookEndpointRow } from '#src/webhooks/webhook-endpoint.js';

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: WebhookEventBody['type'];
  event_created_at: Date;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
}

interface ClaimRow {
  id: string;
  attempts: number;
  endpoint_id: string;
  url: string;
  secret_ciphertext: string;
  event_id: string;
  type: WebhookEventBody['type'];
  data: Record<string, unknown>;
  created_at: Date;
}

const ENDPOINT_COLUMNS = `w.id, w.url, w.events, w.secret_ciphertext, w.description, w.created_at,
  count(d.id) FILTER (WHERE d.status = 'pending') AS pending,
  count(d.id) FILTER (WHERE d.status = 'delivered') AS delivered,
  count(d.id) FILTER (WHERE d.status = 'failed') AS failed`;

/**
 * Webhook endpoints, the outbox and its deliveries. Endpoints change only through the admin
 * functions of db/migrations/0013; the dispatcher claims and records deliveries.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: Database) {}

  endpoints(): Promise<WebhookEndpointRow[]> {
    return this.db.rows<WebhookEndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints w LEFT JOIN webhook_deliveries d ON d.endpoint_id = w.id
        GROUP BY w.id ORDER BY w.created_at, w.id`,
    );
  }

  async endpoint(id: string): Promise<WebhookEndpointRow | undefined> {
    return this.db.first<WebhookEndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints w LEFT JOIN webhook_deliveries d ON d.endpoint_id = w.id
        WHERE w.id = $1::uuid GROUP BY w.id`,
      [id],
    );
  }

  async create(
    adminToken: string,
    endpoint: { id: string; url: string; events: string[]; secretCiphertext: string; description: string | null },
  ): Promise<void> {
    await this.db.first(
      `SELECT id FROM admin_create_webhook(p_actor_token => $1::text, p_id => $2::uuid, p_url => $3::text,
              p_events => $4::text[], p_secret_ciphertext => $5::text, p_description => $6::text)`,
      [adminToken, endpoint.id, endpoint.url, endpoint.events, endpoint.secretCiphertext, endpoint.description],
    );
  }

  async delete(adminToken: string, id: string): Promise<void> {
    await this.db.first('SELECT admin_delete_webhook($1::text, $2::uuid)', [adminToken, id]);
  }

  async sendTest(adminToken: string, id: string): Promise<string> {
    const row = await this.db.first<{ event_id: string }>(
      'SELECT admin_send_webhook_test($1::text, $2::uuid) AS event_id',
      [adminToken, id],
    );
    if (!row) throw new Error('admin_send_webhook_test answered no row');
    return row.event_id;
  }

  async retry(adminToken: string, endpointId: string, deliveryId: string): Promise<void> {
    await this.db.first('SELECT id FROM admin_retry_webhook_delivery($1::text, $2::uuid, $3::bigint)', [
      adminToken,
      endpointId,
      deliveryId,
    ]);
  }

  /** An endpoint's deliveries, newest first, after the keyset `beforeId`. */
  deliveries(endpointId: string, page: { limit: number; beforeId?: string }): Promise<DeliveryRow[]> {
    return this.db.rows<DeliveryRow>(
      `SELECT d.id::text AS id, d.event_id, e.type AS event_type, e.created_at AS event_created_at, d.status,
              d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error, d.delivered_at
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
        WHERE d.endpoint_id = $1::uuid AND ($2::bigint IS NULL OR d.id < $2::bigint)
        ORDER BY d.id DESC LIMIT $3::integer`,
      [endpointId, page.beforeId ?? null, page.limit],
    );
  }

  /**
   * Claims up to `limit` due deliveries, at most one per endpoint and none of `busyEndpoints` (this
   * instance is sending to them): rows locked with SKIP LOCKED so instances never claim the same one,
   * then leased — due again only after `leaseMs` — so a sender that dies gives them back.
   */
  async claimDue(limit: number, busyEndpoints: readonly string[], leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx.rows<{ id: string; endpoint_id: string }>(
        `SELECT id::text AS id, endpoint_id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now() AND NOT (endpoint_id = ANY ($1::uuid[]))
          ORDER BY next_attempt_at, id LIMIT $2::integer FOR UPDATE SKIP LOCKED`,
        [busyEndpoints, Math.max(limit * 4, 20)],
      );
      const chosen = new Map<string, string>();
      for (const row of due) {
        if (chosen.size >= limit) break;
        if (!chosen.has(row.endpoint_id)) chosen.set(row.endpoint_id, row.id);
      }
      if (chosen.size === 0) return [];
      const rows = await tx.rows<ClaimRow>(
        `WITH claimed AS (
           UPDATE webhook_deliveries
              SET attempts = attempts + 1, last_attempt_at = now(),
                  next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
            WHERE id = ANY ($1::bigint[])
           RETURNING id, attempts, event_id, endpoint_id)
         SELECT c.id::text AS id, c.attempts, c.endpoint_id, w.url, w.secret_ciphertext, e.id AS event_id, e.type,
                e.data, e.created_at
           FROM claimed c JOIN webhook_events e ON e.id = c.event_id JOIN webhook_endpoints w ON w.id = c.endpoint_id`,
        [[...chosen.values()], leaseMs],
      );
      return rows.map((row) => ({
        id: row.id,
        attempts: row.attempts,
        endpointId: row.endpoint_id,
        url: row.url,
        secretCiphertext: row.secret_ciphertext,
        event: { id: row.event_id, type: row.type, createdAt: row.created_at.toISOString(), data: row.data },
      }));
    });
  }

  async markDelivered(id: string, statusCode: number): Promise<void> {
    await this.db.first(
      `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_status_code = $2::integer,
              last_error = NULL
        WHERE id = $1::bigint`,
      [id, statusCode],
    );
  }

  /** A failed attempt: due again at `retryAt`, or failed for good when there is none. */
  async markAttemptFailed(
    id: string,
    outcome: { statusCode: number | null; error: string; retryAt: Date | null },
  ): Promise<void> {
    await this.db.first(
      `UPDATE webhook_deliveries
          SET status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = coalesce($4::timestamptz, next_attempt_at),
              last_status_code = $2::integer, last_error = $3::text
        WHERE id = $1::bigint AND status = 'pending'`,
      [id, outcome.statusCode, outcome.error.slice(0, 300), outcome.retryAt],
    );
  }
}
