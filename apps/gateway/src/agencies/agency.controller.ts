import { AgencyRepository } from '@liaison/persistence';
import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ClearanceDto } from './agency.dto';
import { agencyView, AgencyView } from './agency.views';
import { SetClearanceUseCase } from './set-clearance.usecase';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('v1/agencies')
export class AgencyController {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly setClearanceUseCase: SetClearanceUseCase,
  ) {}

  /** The agency register: who can be addressed, and up to which classification. */
  @Get()
  @Roles('officer', 'supervisor', 'programme-lead', 'admin')
  @ApiOkResponse({ type: [AgencyView] })
  async list(): Promise<AgencyView[]> {
    return (await this.agencies.all()).map(agencyView);
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
    return agencyView(await this.setClearanceUseCase.execute(code, body.clearance, caller, correlationId));
  }
}
