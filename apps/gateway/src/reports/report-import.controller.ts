import { HISTORICAL_COLUMNS } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ImportCountsUseCase } from './import-counts.usecase';
import { ReportImportRepository } from './report-import.repository';
import { reportImportView, ReportImportView } from './report-import.views';

/** Historical counts a programme lead brings from before the system existed, shown in reports as imported. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports/imports')
@Roles('programme-lead')
export class ReportImportController {
  constructor(
    private readonly imports: ReportImportRepository,
    private readonly agencies: AgencyRepository,
    private readonly importCounts: ImportCountsUseCase,
  ) {}

  /**
   * Imports a CSV file of counts for the caller's country, with the columns `period,direction,partner,crime_area,
   * message_type,count` named on its first line. Every line is checked first; a bad line rejects the whole file
   * (422, naming the line and what is wrong). The same file imported again changes nothing (200, the earlier
   * import); a new file's count for a period, direction, partner, crime area and type replaces the one before.
   */
  @Post()
  @HttpCode(201)
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example: `${HISTORICAL_COLUMNS.join(',')}\n2015,outbound,EU,unspecified,request,145\n2017,outbound,EU,unspecified,request,298\n`,
    },
  })
  @ApiCreatedResponse({ type: ReportImportView, description: 'Imported (200 when the same file was imported before)' })
  async import(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReportImportView> {
    const stored = await this.importCounts.execute(body, caller, correlationId);
    if (!stored.created) reply.status(200);
    return reportImportView(stored.row);
  }

  /** The files imported for the caller's country, newest first. */
  @Get()
  @ApiOkResponse({ type: [ReportImportView] })
  async list(@CurrentCaller() caller: Caller): Promise<ReportImportView[]> {
    const agency = await this.agencies.find(caller.agency);
    return agency ? (await this.imports.list(agency.country)).map(reportImportView) : [];
  }
}
