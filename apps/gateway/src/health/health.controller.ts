import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/caller';
import { ReadinessService, type ExchangeHealth, type Readiness } from './readiness.service';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * What the gateway needs answers: PostgreSQL, Redis, and a Kafka broker that acknowledges. 503 otherwise,
   * with `checks` saying why. The services behind the gateway do not count: see `/health/exchange`.
   */
  @Get('ready')
  @ApiOkResponse({ description: 'The gateway can serve' })
  @ApiServiceUnavailableResponse({ description: 'It cannot; `checks` says why' })
  async ready(@Res({ passthrough: true }) response: FastifyReply): Promise<Readiness> {
    const result = await this.readiness.check();
    void response.status(result.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }

  /** Whether the router, tracker, matcher and notifier are each consuming (their consumer groups are stable). */
  @Get('exchange')
  @ApiOkResponse({ description: 'Every service is consuming' })
  @ApiServiceUnavailableResponse({ description: 'One is not; `services` says which' })
  async exchange(@Res({ passthrough: true }) response: FastifyReply): Promise<ExchangeHealth> {
    const result = await this.readiness.exchange();
    void response.status(result.complete ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }
}
