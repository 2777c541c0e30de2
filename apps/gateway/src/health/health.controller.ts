import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/caller';
import { ReadinessService, type Readiness } from './readiness.service';

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

  /** PostgreSQL, Redis and Kafka answer, and the router, tracker, matcher and notifier are consuming. 503 otherwise. */
  @Get('ready')
  @ApiOkResponse({ description: 'Everything answers' })
  @ApiServiceUnavailableResponse({ description: 'Something does not; `checks` says what' })
  async ready(@Res({ passthrough: true }) response: FastifyReply): Promise<Readiness> {
    const result = await this.readiness.check();
    void response.status(result.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }
}
