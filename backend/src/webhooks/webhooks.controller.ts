import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccessToken, Roles } from '#src/common/auth.decorators.js';
import { PageQueryDto } from '#src/common/pagination.js';
import type { CreatedWebhook, ListResponse, WebhookDeliveryView, WebhookEndpointView } from '#src/contract/index.js';
import { CreateWebhookDto } from '#src/webhooks/dto/webhook.dto.js';
import { DeliveryIdPipe } from '#src/webhooks/delivery-id.pipe.js';
import { WebhooksService } from '#src/webhooks/webhooks.service.js';

@ApiTags('admin')
@Controller('api/admin/webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Every endpoint with its delivery counts; never a secret. */
  @Get()
  list(): Promise<WebhookEndpointView[]> {
    return this.webhooks.list();
  }

  /** Registers an endpoint (audited). The signing secret is in this answer only. */
  @Post()
  create(@AccessToken() adminToken: string, @Body() body: CreateWebhookDto): Promise<CreatedWebhook> {
    return this.webhooks.create(adminToken, body);
  }

  /** Removes it and its pending deliveries (audited). */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  delete(@AccessToken() adminToken: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.webhooks.delete(adminToken, id);
  }

  /** Its deliveries, newest first: status, attempts, last response code. */
  @Get(':id/deliveries')
  deliveries(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<ListResponse<WebhookDeliveryView>> {
    return this.webhooks.deliveries(id, query);
  }

  /** Queues a `webhook.test` event for this endpoint only. */
  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  sendTest(@AccessToken() adminToken: string, @Param('id', ParseUUIDPipe) id: string): Promise<{ eventId: string }> {
    return this.webhooks.sendTest(adminToken, id);
  }

  /** Makes an undelivered delivery due now (a failed one gets one more attempt). */
  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  retry(
    @AccessToken() adminToken: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', DeliveryIdPipe) deliveryId: string,
  ): Promise<void> {
    return this.webhooks.retry(adminToken, id, deliveryId);
  }
}
