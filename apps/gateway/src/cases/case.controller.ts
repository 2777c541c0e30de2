import { isValidCaseReference } from '@liaison/domain';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { CaseLifecycleUseCase } from './case-lifecycle.usecase';
import { ReadCaseUseCase } from './read-case.usecase';
import { CaseAcceptedView, CasePageView, CaseView } from './case.views';
import { CaseListQueryDto, OpenCaseDto } from './case.dto';

export function referenceOf(reference: string): string {
  if (!isValidCaseReference(reference))
    throw ApiProblem.field('reference', 'must be a case reference such as LIA-2026-7K3M9Q2XH');
  return reference;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
@Roles('officer', 'supervisor')
export class CaseController {
  constructor(
    private readonly reading: ReadCaseUseCase,
    private readonly lifecycle: CaseLifecycleUseCase,
  ) {}

  /** Opens a case owned by the caller's agency; usable (for messages) once this answers. */
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: CaseAcceptedView })
  async open(
    @Body() body: OpenCaseDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<CaseAcceptedView> {
    const accepted = await this.lifecycle.open(body, caller, correlationId);
    void response.header('Location', `/v1/cases/${accepted.reference}`);
    return accepted;
  }

  /** Closes a case: only its owning agency may; a closed case takes no new messages. */
  @Post(':reference/close')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: CaseAcceptedView })
  close(
    @Param('reference') reference: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<CaseAcceptedView> {
    return this.lifecycle.close(referenceOf(reference), caller, correlationId);
  }

  /** Cases the caller's agency takes part in, most recently active first. */
  @Get()
  @ApiOkResponse({ type: CasePageView })
  list(@Query() query: CaseListQueryDto, @CurrentCaller() caller: Caller): Promise<CasePageView> {
    return this.reading.list(query, caller);
  }

  /**
   * The case's entities for analysts' platforms (`format=stix`: a STIX 2.1 bundle for MISP or OpenCTI). Only the
   * owning agency may export its case, and only what H0 and H1 messages carried leaves: H2 and H3 material never
   * does. Every export is audited.
   */
  @Get(':reference/export')
  @ApiQuery({ name: 'format', required: true, enum: ['stix'] })
  @ApiOkResponse({ description: 'A STIX 2.1 bundle (application/stix+json;version=2.1)' })
  async export(
    @Param('reference') reference: string,
    @Query('format') format: unknown,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Record<string, unknown>> {
    if (format !== 'stix') throw ApiProblem.field('format', 'must be stix (a STIX 2.1 bundle)');
    const bundle = await this.reading.exportStix(referenceOf(reference), caller, correlationId);
    void response
      .type('application/stix+json;version=2.1')
      .header('Content-Disposition', `attachment; filename="${reference}.stix.json"`);
    return bundle;
  }

  /** A case and the messages in it that the caller's agency may see. Any other case is a 404. */
  @Get(':reference')
  @ApiOkResponse({ type: CaseView })
  get(@Param('reference') reference: string, @CurrentCaller() caller: Caller): Promise<CaseView> {
    return this.reading.get(referenceOf(reference), caller);
  }
}
