import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '#src/common/auth.decorators.js';
import { MetricsAccessGuard } from '#src/metrics/metrics-access.guard.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/**
 * Prometheus scrape endpoint. No user login (scrapers have none): MetricsAccessGuard admits loopback
 * clients, or with METRICS_TOKEN set, whoever presents that token.
 */
@ApiExcludeController()
@Public()
@UseGuards(MetricsAccessGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    await reply.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
