import { CLASSIFICATIONS, type Classification } from '@liaison/domain';
import { AgencyRepository, type AgencyEntity } from '@liaison/persistence';
import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AuditTrail } from '../audit/audit-trail';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';

export class AgencyView {
  @ApiProperty({ example: 'RO-ENU' }) code!: string;
  @ApiProperty({ example: 'Romania Europol National Unit' }) name!: string;
  @ApiProperty({ example: 'national-unit' }) kind!: string;
  @ApiProperty({ example: 'RO' }) country!: string;
  @ApiProperty({ nullable: true, type: String }) region!: string | null;
  @ApiProperty({ enum: CLASSIFICATIONS, description: 'Highest classification the agency may receive' })
  clearance!: Classification;
}

export class ClearanceDto {
  @ApiProperty({ enum: CLASSIFICATIONS })
  @IsIn(CLASSIFICATIONS, { message: `clearance must be one of ${CLASSIFICATIONS.join(', ')}` })
  clearance!: Classification;
}

const view = (agency: AgencyEntity): AgencyView => ({
  code: agency.code,
  name: agency.name,
  kind: agency.kind,
  country: agency.country,
  region: agency.region,
  clearance: agency.clearance,
});

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('v1/agencies')
export class AgencyController {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** The agency register: who can be addressed, and up to which classification. */
  @Get()
  @Roles('officer', 'supervisor', 'programme-lead', 'admin')
  @ApiOkResponse({ type: [AgencyView] })
  async list(): Promise<AgencyView[]> {
    return (await this.agencies.all()).map(view);
  }

  /** Sets an agency's clearance (admin). Every service applies it within ten seconds. */
  @Put(':code/clearance')
  @Roles('admin')
  @ApiOkResponse({ type: AgencyView })
  async setClearance(
    @Param('code') code: string,
    @Body() body: ClearanceDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<AgencyView> {
    if (!(await this.agencies.find(code))) throw new ApiProblem(ErrorCode.NotFound, `no agency ${code}`);
    await this.audit.record(
      caller,
      { action: 'agency.clearance-changed', objectType: 'agency', objectId: code, detail: body.clearance },
      correlationId,
    );
    const agency = await this.agencies.setClearance(code, body.clearance);
    if (!agency) throw new ApiProblem(ErrorCode.NotFound, `no agency ${code}`);
    return view(agency);
  }
}
