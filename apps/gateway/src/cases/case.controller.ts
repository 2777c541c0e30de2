import { isValidCaseReference } from '@liaison/domain';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { cursorOf, page } from '../http/pagination';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { CaseLifecycleUseCase } from './case-lifecycle.usecase';
import { CaseReadRepository, type CaseRow } from './case-read.repository';
import { CaseAcceptedView, CasePageView, CaseView, type CaseSummaryView } from './case.views';
import { CaseListQueryDto, OpenCaseDto } from './case.dto';

function summary(row: CaseRow): CaseSummaryView {
  return {
    reference: row.reference,
    owner: { code: row.owner_agency, name: row.owner_name },
    openedAt: row.opened_at.toISOString(),
    title: row.title,
    crimeArea: row.crime_area,
    operationName: row.operation_name,
    status: row.status,
    closedAt: row.closed_at?.toISOString() ?? null,
    jit: row.jit_id,
    participants: row.participants,
    lastActivityAt: row.last_activity_at.toISOString(),
  };
}

function referenceOf(reference: string): string {
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
    private readonly cases: CaseReadRepository,
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
  async list(@Query() query: CaseListQueryDto, @CurrentCaller() caller: Caller): Promise<CasePageView> {
    const limit = query.limit ?? 25;
    const rows = await this.cases.list(caller.agency, query, limit + 1, cursorOf(query));
    return page(rows, limit, summary, (row) => ({ at: row.last_activity_at, id: row.reference }));
  }

  /** A case and the messages in it that the caller's agency may see. Any other case is a 404. */
  @Get(':reference')
  @ApiOkResponse({ type: CaseView })
  async get(@Param('reference') reference: string, @CurrentCaller() caller: Caller): Promise<CaseView> {
    const found = await this.cases.find(referenceOf(reference), caller.agency);
    if (!found) throw new ApiProblem(ErrorCode.NotFound, `no case ${reference} in which ${caller.agency} takes part`);
    const thread = await this.cases.thread(reference, caller.agency);
    return {
      ...summary(found),
      messages: thread.map((row) => ({
        id: row.id,
        type: row.type,
        priority: row.priority,
        sender: row.sender_agency,
        recipients: row.recipients,
        subject: row.subject,
        submittedAt: row.submitted_at.toISOString(),
        inReplyTo: row.in_reply_to,
      })),
    };
  }
}
