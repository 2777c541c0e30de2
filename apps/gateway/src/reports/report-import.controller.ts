import { readHistoricalCounts, HISTORICAL_COLUMNS } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { ReportImportRepository, type ReportImportRow } from './report-import.repository';

/** The most lines of counts one file may have. */
const MAX_IMPORT_ROWS = 50_000;

export class ReportImportView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'GB', description: 'The importing agency’s country: the counts are seen from it' })
  country!: string;
  @ApiProperty({ description: 'Lines of counts in the file' }) counts!: number;
  @ApiProperty({ example: '2015' }) firstPeriod!: string;
  @ApiProperty({ example: '2017' }) lastPeriod!: string;
  @ApiProperty({ description: 'SHA-256 of the file: the same file is the same import' }) sha256!: string;
  @ApiProperty() importedAt!: string;
}

function view(row: ReportImportRow): ReportImportView {
  return {
    id: row.id,
    country: row.country,
    counts: row.counts,
    firstPeriod: row.first_period,
    lastPeriod: row.last_period,
    sha256: row.sha256,
    importedAt: row.imported_at.toISOString(),
  };
}

/** Historical counts a programme lead brings from before the system existed, shown in reports as imported. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports/imports')
@Roles('programme-lead')
export class ReportImportController {
  constructor(
    private readonly imports: ReportImportRepository,
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
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
    if (typeof body !== 'string') throw new ApiProblem(ErrorCode.UnsupportedMediaType, 'send the counts as text/csv');
    const agency = await this.agencies.find(caller.agency);
    if (!agency) throw new ApiProblem(ErrorCode.UnknownAgency, `agency ${caller.agency} is not in the register`);
    const register = await this.agencies.all();
    const read = readHistoricalCounts(body, {
      partnerCountries: new Set(register.map((a) => a.country)),
      today: new Date().toISOString().slice(0, 10),
      maxRows: MAX_IMPORT_ROWS,
    });
    if (!read.ok)
      throw ApiProblem.validation([{ field: `line ${read.line}`, message: read.reason }], ErrorCode.InvalidImport);
    const periods = read.counts
      .map((c) => c.period)
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    const stored = await this.imports.store(
      {
        id: randomUUID(),
        country: agency.country,
        sha256: createHash('sha256').update(body).digest('hex'),
        firstPeriod: periods[0].label,
        lastPeriod: periods[periods.length - 1].label,
        importedAt: new Date(),
        importedByKeyId: caller.keyId,
      },
      read.counts,
    );
    if (!stored.created) {
      reply.status(200);
      return view(stored.row);
    }
    await this.audit.record(
      caller,
      { action: 'report.imported', objectType: 'report-import', objectId: stored.row.id },
      correlationId,
    );
    return view(stored.row);
  }

  /** The files imported for the caller's country, newest first. */
  @Get()
  @ApiOkResponse({ type: [ReportImportView] })
  async list(@CurrentCaller() caller: Caller): Promise<ReportImportView[]> {
    const agency = await this.agencies.find(caller.agency);
    return agency ? (await this.imports.list(agency.country)).map(view) : [];
  }
}
