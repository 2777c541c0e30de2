import { CASE_STATUSES, ERASURE_GROUNDS, isValidCaseReference } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CaseListQueryDto } from '../cases/case.dto';
import { ReadCaseUseCase } from '../cases/read-case.usecase';
import { CaseErasureUseCase } from '../cases/case-erasure.usecase';
import { CaseRestrictions } from '../cases/case-restrictions';
import { ErasureRepository } from '../cases/erasure.repository';
import { CorrelationId } from '../http/correlation-id.decorator';
import { confirmedFirst } from './console-step-up';
import { ApiProblem } from '../http/problem';
import { MatchReviewUseCase } from '../matches/match-review.usecase';
import { ConsolePages } from './console-pages';
import { CASE_STATUS_WORDS, ERASURE_GROUND_WORDS } from './console-words';

/** The tabs of a case's page. */
const CASE_TABS = [
  { id: 'thread', text: 'Thread' },
  { id: 'entities', text: 'Entities' },
  { id: 'matches', text: 'Matches' },
  { id: 'forwards', text: 'Forwards' },
  { id: 'attachments', text: 'Attachments' },
  { id: 'history', text: 'History' },
];
/** The owner's supervisors also see the case's data protection: legal hold, restriction, erasure. */
const PROTECTION_TAB = { id: 'protection', text: 'Data protection' };

const DONE_WORDS: Record<string, string> = {
  hold: 'The legal hold is in place: the case cannot be erased until it is released.',
  release: 'The legal hold is released.',
  restrict: 'Processing is restricted: the case takes no part in matching, and only your supervisors can read it.',
  lift: 'The restriction is lifted: the case is matched and read again.',
};

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
    private readonly erasures: ErasureRepository,
    private readonly restrictions: CaseRestrictions,
    private readonly erasure: CaseErasureUseCase,
  ) {}

  /** Places or releases a legal hold, restricts or lifts, from the case's data-protection tab (owner's supervisors). */
  @Post(':reference/protection')
  @Roles('supervisor')
  async protect(
    @Param('reference') reference: string,
    @Body() body: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!isValidCaseReference(reference)) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
    const text = (name: string) => (typeof body?.[name] === 'string' ? body[name].trim() : '');
    const back = `/console/cases/${reference}?tab=protection`;
    const reason = text('reason');
    const action = text('action');
    const needsReason = action === 'hold' || action === 'restrict';
    if (needsReason && (reason.length < 3 || reason.length > 300))
      throw new ApiProblem(ErrorCode.Validation, 'say why, in 3 to 300 characters');
    if (action === 'hold') await this.erasure.placeHold(reference, reason, caller, correlationId);
    else if (action === 'release') await this.erasure.releaseHold(reference, caller, correlationId);
    else if (action === 'restrict') await this.restrictions.restrict(reference, reason, caller, correlationId);
    else if (action === 'lift') await this.restrictions.lift(reference, caller, correlationId);
    else if (action === 'erase') {
      const ground = ERASURE_GROUNDS.find((g) => g === text('ground'));
      if (!ground) throw new ApiProblem(ErrorCode.Validation, 'choose the ground the erasure follows');
      // Erasure cannot be undone: a fresh second factor first.
      const erase = () => this.erasure.erase(reference, ground, caller, correlationId);
      if (await confirmedFirst(reply, back, erase)) void reply.redirect('/console/cases?erased=1', 303);
      return;
    } else throw new ApiProblem(ErrorCode.Validation, 'no such action');
    void reply.redirect(`${back}&done=${action}`, 303);
  }

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
    @Query('done') done: string | undefined,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!isValidCaseReference(reference)) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
    const found = await this.reading.get(reference, caller);
    const tabs =
      found.owner.code === caller.agency && caller.role === 'supervisor' ? [...CASE_TABS, PROTECTION_TAB] : CASE_TABS;
    const current = tabs.find((t) => t.id === (tab ?? 'thread'));
    if (!current) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
    const agencies = await this.agencies.findMany([...found.participants, ...found.messages.map((m) => m.sender)]);
    const nameOf = (code: string) => agencies.get(code)?.name ?? code;
    const tabData = await this.tabData(current.id, reference, caller, nameOf);
    await this.pages.render(reply, caller, 'cases', 'case', {
      title: found.title ?? found.reference,
      found,
      tab: current.id,
      tabs: tabs.map((t) => ({
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
      done: DONE_WORDS[done ?? ''] ?? null,
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
      case 'protection': {
        const [subject, restriction] = await Promise.all([
          this.erasures.subject(reference),
          this.restrictions.find(reference),
        ]);
        return {
          hold: subject?.hold ?? null,
          restriction,
          grounds: ERASURE_GROUNDS.map((value) => ({ value, text: ERASURE_GROUND_WORDS[value] })),
        };
      }
      default:
        return {};
    }
  }
}
