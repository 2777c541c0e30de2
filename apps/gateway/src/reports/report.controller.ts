import { dayRangeProblem } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/messaging';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblem } from '../http/problem';
import { VolumeReportRepository } from './volume-report.repository';
import { VolumeQueryDto, VolumeReportView } from './volume-query.dto';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
@Roles('programme-lead')
export class ReportController {
  constructor(
    private readonly volumes: VolumeReportRepository,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Messages sent per sender country and per sender/recipient country pair, over whole UTC days. */
  @Get('volumes')
  @ApiOkResponse({ type: VolumeReportView })
  async volumeReport(@Query() query: VolumeQueryDto): Promise<VolumeReportView> {
    const problem = dayRangeProblem(query, this.config.REPORT_MAX_DAYS);
    if (problem) throw ApiProblem.field(problem.startsWith('to ') ? 'to' : 'from', problem);
    const [bySenderCountry, byCountryPair] = await Promise.all([
      this.volumes.bySenderCountry(query.from, query.to),
      this.volumes.byCountryPair(query.from, query.to),
    ]);
    return {
      from: query.from,
      to: query.to,
      totalMessages: bySenderCountry.reduce((sum, row) => sum + row.messages, 0),
      bySenderCountry,
      byCountryPair,
    };
  }
}
