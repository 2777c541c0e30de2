import { MetricDefinitions, Metrics } from '@liaison/observability';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { EventPublisher } from '@liaison/messaging';
import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/caller';
import { proxyAddresses, type GatewayConfig } from '../gateway.config';

/**
 * `/metrics` for Prometheus, on the gateway's own port, to addresses METRICS_ALLOW names (this machine and
 * private networks by default); anyone else is told there is nothing here. No series carries personal data.
 */
@ApiExcludeController()
@Controller('metrics')
@Public()
export class MetricsController {
  private readonly allowed: (address: string, hop: number) => boolean;

  constructor(
    private readonly metrics: Metrics,
    publisher: EventPublisher,
    @Inject(SERVICE_CONFIG) config: GatewayConfig,
  ) {
    this.allowed = proxyAddr.compile(proxyAddresses(config.METRICS_ALLOW));
    metrics.gauge(MetricDefinitions.brokerAvailable, () => [
      { labels: {}, value: publisher.state().available ? 1 : 0 },
    ]);
  }

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!this.allowed(request.ip, 0)) throw new NotFoundException();
    const { contentType, body } = await this.metrics.exposition();
    await reply.header('Content-Type', contentType).header('Cache-Control', 'no-store').send(body);
  }
}
