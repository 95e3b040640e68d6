import { Module } from '@nestjs/common';
import { WebhookDispatcher } from '#src/webhooks/webhook-dispatcher.js';
import { WebhooksController } from '#src/webhooks/webhooks.controller.js';
import { WebhooksRepository } from '#src/webhooks/webhooks.repository.js';
import { WebhooksService } from '#src/webhooks/webhooks.service.js';

/**
 * Signed webhook alerts (docs/alerts.md): endpoints and their deliveries for admins, and the
 * dispatcher that sends what the outbox holds. The events themselves are written by the database,
 * in the transactions that cause them.
 */
@Module({
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhooksService, WebhookDispatcher],
})
export class WebhooksModule {}
