import { randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppError } from '#src/common/app-error.js';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, type PageQueryDto, toPage } from '#src/common/pagination.js';
import {
  type CreatedWebhook,
  ErrorCode,
  type ListResponse,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '#src/contract/index.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';
import { SecretBox, SecretsKeyMismatchError, UnreadableSecretError } from '#src/secrets/secret-box.js';
import type { CreateWebhookDto } from '#src/webhooks/dto/webhook.dto.js';
import { type WebhookEndpointRow, webhookSecretContext } from '#src/webhooks/webhook-endpoint.js';
import { newWebhookSecret } from '#src/webhooks/webhook-signature.js';
import { type DeliveryRow, WebhooksRepository } from '#src/webhooks/webhooks.repository.js';

const toEndpointView = (row: WebhookEndpointRow): WebhookEndpointView => ({
  id: row.id,
  url: row.url,
  events: row.events,
  description: row.description,
  createdAt: row.created_at.toISOString(),
  deliveries: { pending: Number(row.pending), delivered: Number(row.delivered), failed: Number(row.failed) },
});

const toDeliveryView = (row: DeliveryRow): WebhookDeliveryView => ({
  id: row.id,
  eventId: row.event_id,
  eventType: row.event_type,
  eventCreatedAt: row.event_created_at.toISOString(),
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
  lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  deliveredAt: row.delivered_at?.toISOString() ?? null,
});

/** Admin operations on webhook endpoints (docs/alerts.md). */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly secrets: SecretBox,
  ) {}

  /** Every stored signing secret must open with SECRETS_KEY: else boot stops, saying so. */
  async onApplicationBootstrap(): Promise<void> {
    for (const endpoint of await this.repository.endpoints()) {
      try {
        this.secrets.open(endpoint.secret_ciphertext, webhookSecretContext(endpoint.id));
      } catch (error) {
        if (error instanceof UnreadableSecretError) {
          throw new SecretsKeyMismatchError(`the signing secret of webhook ${endpoint.url}`);
        }
        throw error;
      }
    }
  }

  async list(): Promise<WebhookEndpointView[]> {
    return (await this.repository.endpoints()).map(toEndpointView);
  }

  /** Registers an endpoint (audited); its signing secret is answered this once and stored encrypted. */
  async create(adminToken: string, request: CreateWebhookDto): Promise<CreatedWebhook> {
    const id = randomUUID();
    const secret = newWebhookSecret();
    await this.guarded(() =>
      this.repository.create(adminToken, {
        id,
        url: request.url,
        events: request.events,
        secretCiphertext: this.secrets.seal(secret, webhookSecretContext(id)),
        description: request.description ?? null,
      }),
    );
    return { ...(await this.endpointView(id)), secret };
  }

  async delete(adminToken: string, id: string): Promise<void> {
    await this.guarded(() => this.repository.delete(adminToken, id));
  }

  /** A `webhook.test` event for this endpoint only; delivered like any other. */
  async sendTest(adminToken: string, id: string): Promise<{ eventId: string }> {
    return { eventId: await this.guarded(() => this.repository.sendTest(adminToken, id)) };
  }

  async retry(adminToken: string, endpointId: string, deliveryId: string): Promise<void> {
    await this.guarded(() => this.repository.retry(adminToken, endpointId, deliveryId));
  }

  async deliveries(endpointId: string, query: PageQueryDto): Promise<ListResponse<WebhookDeliveryView>> {
    await this.endpointView(endpointId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, { id: CursorField.BigintId });
    const rows = await this.repository.deliveries(endpointId, {
      limit: limit + 1,
      ...(after === undefined ? {} : { beforeId: after.id }),
    });
    return toPage(rows, limit, toDeliveryView, (row) => ({ id: row.id }));
  }

  private async endpointView(id: string): Promise<WebhookEndpointView> {
    const row = await this.repository.endpoint(id);
    if (row === undefined) throw new AppError(ErrorCode.NotFound, 'No such webhook.');
    return toEndpointView(row);
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      switch (sqlStateOf(error)) {
        case SqlState.InsufficientPrivilege:
          throw new AppError(ErrorCode.Forbidden, 'Only an admin can manage webhooks.');
        case SqlState.NoDataFound:
          throw new AppError(ErrorCode.NotFound, 'No such webhook or delivery.');
        default:
          throw error;
      }
    }
  }
}
