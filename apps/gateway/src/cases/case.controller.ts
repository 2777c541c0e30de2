import { isValidCaseReference } from '@liaison/domain';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { cursorOf, page } from '../http/pagination';
import { ApiProblem, ProblemCode } from '../http/problem';
import { ListQueryDto } from '../messages/inbox-query.dto';
import { CaseReadRepository, type CaseRow } from './case-read.repository';
import { CasePageView, CaseView, type CaseSummaryView } from './case.views';

function summary(row: CaseRow): CaseSummaryView {
  return {
    reference: row.reference,
    owner: { code: row.owner_agency, name: row.owner_name },
    openedAt: row.opened_at.toISOString(),
    participants: row.participants,
    lastActivityAt: row.last_activity_at.toISOString(),
  };
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
@Roles('officer', 'supervisor')
export class CaseController {
  constructor(private readonly cases: CaseReadRepository) {}

  /** Cases the caller's agency takes part in, most recently active first. */
  @Get()
  @ApiOkResponse({ type: CasePageView })
  async list(@Query() query: ListQueryDto, @CurrentCaller() caller: Caller): Promise<CasePageView> {
    const limit = query.limit ?? 25;
    const rows = await this.cases.list(caller.agency, limit + 1, cursorOf(query));
    return page(rows, limit, summary, (row) => ({ at: row.last_activity_at, id: row.reference }));
  }

  /** A case and the messages in it that the caller's agency may see. Any other case is a 404. */
  @Get(':reference')
  @ApiOkResponse({ type: CaseView })
  async get(@Param('reference') reference: string, @CurrentCaller() caller: Caller): Promise<CaseView> {
    if (!isValidCaseReference(reference)) throw ApiProblem.field('reference', 'must be a case reference such as LIA-2026-7K3M9Q2XH');
    const found = await this.cases.find(reference, caller.agency);
    if (!found) throw new ApiProblem(ProblemCode.NotFound, `no case ${reference} in which ${caller.agency} takes part`);
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
