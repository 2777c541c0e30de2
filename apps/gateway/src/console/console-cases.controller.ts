import { CASE_STATUSES, isValidCaseReference } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CaseListQueryDto } from '../cases/case.dto';
import { ReadCaseUseCase } from '../cases/read-case.usecase';
import { ApiProblem } from '../http/problem';
import { MatchReviewUseCase } from '../matches/match-review.usecase';
import { ConsolePages } from './console-pages';
import { CASE_STATUS_WORDS } from './console-words';

/** The tabs of a case's page. */
const CASE_TABS = [
  { id: 'thread', text: 'Thread' },
  { id: 'entities', text: 'Entities' },
  { id: 'matches', text: 'Matches' },
  { id: 'forwards', text: 'Forwards' },
  { id: 'attachments', text: 'Attachments' },
  { id: 'history', text: 'History' },
];

/** An entity's values in one line, in the order they were given: "Ion VASILE, 1988-04-02, RO". */
function entityText(entity: Record<string, unknown>): string {
  return Object.entries(entity)
    .filter(([name]) => name !== 'type' && name !== 'ref')
    .map(([, value]) => (Array.isArray(value) ? value.join(' ') : String(value)))
    .join(', ');
}

/** Cases: the list the agency takes part in, and one case with its thread. */
@ApiExcludeController()
@Controller('console/cases')
@SessionOnly()
@Roles('officer', 'supervisor')
export class ConsoleCasesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reading: ReadCaseUseCase,
    private readonly agencies: AgencyRepository,
    private readonly reviews: MatchReviewUseCase,
  ) {}

  @Get()
  async list(
    @Query() query: CaseListQueryDto,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = await this.reading.list(query, caller);
    const status = query.status;
    await this.pages.render(reply, caller, 'cases', 'cases', {
      title: 'Cases',
      page,
      statuses: [
        { value: '', text: 'Any', selected: !status },
        ...CASE_STATUSES.map((value) => ({ value, text: CASE_STATUS_WORDS[value], selected: value === status })),
      ],
      next: page.nextCursor
        ? `/console/cases?${new URLSearchParams({ ...(status ? { status } : {}), cursor: page.nextCursor }).toString()}`
        : null,
      first: query.cursor ? `/console/cases${status ? `?status=${status}` : ''}` : null,
    });
  }

  /**
   * A case its agency takes part in, one tab at a time (`tab`: thread, entities, matches, forwards, attachments,
   * history); any other reference is the 404 page, whether or not the case exists.
   */
  @Get(':reference')
  async case(
    @Param('reference') reference: string,
    @Query('tab') tab: string | undefined,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!isValidCaseReference(reference)) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
    const current = CASE_TABS.find((t) => t.id === (tab ?? 'thread'));
    if (!current) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
    const found = await this.reading.get(reference, caller);
    const agencies = await this.agencies.findMany([...found.participants, ...found.messages.map((m) => m.sender)]);
    const nameOf = (code: string) => agencies.get(code)?.name ?? code;
    const tabData = await this.tabData(current.id, reference, caller, nameOf);
    await this.pages.render(reply, caller, 'cases', 'case', {
      title: found.title ?? found.reference,
      found,
      tab: current.id,
      tabs: CASE_TABS.map((t) => ({
        ...t,
        href: `/console/cases/${reference}${t.id === 'thread' ? '' : `?tab=${t.id}`}`,
        current: t.id === current.id,
      })),
      participants: found.participants.map((code) => ({ code, name: nameOf(code) })),
      thread: found.messages.map((m) => ({
        ...m,
        senderName: nameOf(m.sender),
        mine: m.sender === caller.agency,
        receipts: m.receipts.map((r) => ({ ...r, name: nameOf(r.agency) })),
      })),
      ...tabData,
    });
  }

  private async tabData(
    tab: string,
    reference: string,
    caller: PersonCaller,
    nameOf: (code: string) => string,
  ): Promise<Record<string, unknown>> {
    switch (tab) {
      case 'entities':
        return {
          entities: (await this.reading.entities(reference, caller)).map((e) => ({
            ...e,
            type: typeof e.entity.type === 'string' ? e.entity.type : '',
            text: entityText(e.entity),
          })),
        };
      case 'matches':
        return {
          matches: ((await this.reviews.list({ caseReference: reference, limit: 100 }, caller)).items ?? []).map(
            (m) => ({ ...m, otherName: nameOf(m.otherAgency) }),
          ),
        };
      case 'forwards':
        return { forwards: await this.reading.forwards(reference, caller) };
      case 'attachments':
        return { attachments: await this.reading.attachments(reference, caller) };
      default:
        return {};
    }
  }
}
