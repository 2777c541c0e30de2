import { MATCH_DECISION_REASONS, type MatchDecisionReason } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { ForwardReadRepository } from '../forwards/forward-read.repository';
import { DecidePermissionUseCase } from '../forwards/decide-permission.usecase';
import { CorrelationId } from '../http/correlation-id.decorator';
import { MatchQueryDto } from '../matches/match.dto';
import { MatchReviewUseCase, matchView } from '../matches/match-review.usecase';
import { idOrNotFound } from './console-messages.controller';
import { confirmedFirst } from './console-step-up';
import { ConsolePages } from './console-pages';
import { dateTimeWords } from './console-words';

export const REASON_WORDS: Record<MatchDecisionReason, string> = {
  'same-investigation': 'It is the same investigation',
  'operationally-useful': 'Sharing helps both investigations',
  'operationally-sensitive': 'Sharing now would put the operation at risk',
  'legal-restriction': 'The law or a court order does not allow it',
  'not-the-same-entity': 'It is not the same person, phone, vehicle or account',
  other: 'Another reason',
};

const STRENGTH_WORDS: Record<string, string> = {
  strong: 'Same identifier',
  candidate: 'Possibly the same person (name and date of birth)',
};

const DECISION_WORDS: Record<string, string> = {
  pending: 'Not decided',
  released: 'Released',
  declined: 'Declined',
};

/**
 * Linked-case matches (hits) and H2 permission requests: what a force's supervisors decide. Releasing details
 * and deciding a permission need a fresh second factor; without one the person is sent to confirm it is them.
 */
@ApiExcludeController()
@Controller('console')
@SessionOnly()
export class ConsoleMatchesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reviews: MatchReviewUseCase,
    private readonly agencies: AgencyRepository,
    private readonly forwards: ForwardReadRepository,
    private readonly permissions: DecidePermissionUseCase,
  ) {}

  @Get('matches')
  @Roles('officer', 'supervisor')
  async list(@Query() query: MatchQueryDto, @CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const page = await this.reviews.list(query, caller);
    const names = await this.agencies.findMany((page.items ?? []).map((m) => m.otherAgency));
    const params = (extra: Record<string, string>) =>
      new URLSearchParams({
        ...(query.strength ? { strength: query.strength } : {}),
        ...(query.awaitingDecision ? { awaitingDecision: 'true' } : {}),
        ...extra,
      }).toString();
    await this.pages.render(reply, caller, 'matches', 'matches', {
      title: 'Matches',
      query,
      counts: page.counts,
      items: (page.items ?? []).map((m) => ({
        ...m,
        otherName: names.get(m.otherAgency)?.name ?? m.otherAgency,
        strengthWords: STRENGTH_WORDS[m.strength],
        ownDecisionWords: DECISION_WORDS[m.ownDecision],
        otherDecisionWords: DECISION_WORDS[m.otherDecision],
        foundAtWords: dateTimeWords(m.foundAt),
      })),
      next: page.nextCursor ? `/console/matches?${params({ cursor: page.nextCursor })}` : null,
      first: query.cursor ? `/console/matches?${params({})}` : null,
    });
  }

  @Get('matches/:id')
  @Roles('officer', 'supervisor')
  async match(@Param('id') id: string, @CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    await this.renderMatch(reply, caller, idOrNotFound(id));
  }

  private async renderMatch(
    reply: FastifyReply,
    caller: PersonCaller,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    const match = matchView((await this.reviews.visible(id, caller.agency)).view);
    const other = await this.agencies.find(match.otherAgency);
    await this.pages.render(
      reply,
      caller,
      'matches',
      'match',
      {
        title: `Match on a ${match.entityType.replace('-', ' ')}`,
        match,
        otherName: other?.name ?? match.otherAgency,
        strengthWords: STRENGTH_WORDS[match.strength],
        ownDecisionWords: DECISION_WORDS[match.ownDecision],
        otherDecisionWords: DECISION_WORDS[match.otherDecision],
        canDecide: caller.role === 'supervisor' && match.ownDecision === 'pending',
        canReviewCandidate: match.strength === 'candidate' && match.candidateState === 'pending',
        reasons: MATCH_DECISION_REASONS.map((value) => ({ value, text: REASON_WORDS[value] })),
        ...extra,
      },
      status,
    );
  }

  /** Release or decline (supervisors); a release needs a fresh second factor. */
  @Post('matches/:id/decision')
  @Roles('supervisor')
  async decide(
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const matchId = idOrNotFound(id);
    const decision = form?.decision === 'release' || form?.decision === 'decline' ? form.decision : null;
    const reason = MATCH_DECISION_REASONS.find((r) => r === form?.reason);
    const errors = [
      ...(decision ? [] : [{ href: '#decision', text: 'Choose whether to release your details or decline' }]),
      ...(reason ? [] : [{ href: '#reason', text: 'Choose why' }]),
    ];
    if (errors.length > 0) return this.renderMatch(reply, caller, matchId, { errors }, 400);
    const back = `/console/matches/${matchId}`;
    if (await confirmedFirst(reply, back, () => this.reviews.review(matchId, decision!, caller, correlationId, reason)))
      void reply.redirect(`${back}?decided=${decision!}`, 303);
  }

  /** Confirms a candidate match: the same person. */
  @Post('matches/:id/confirm')
  @Roles('officer', 'supervisor')
  confirm(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.review(id, 'confirm', caller, correlationId, reply);
  }

  /** Dismisses a candidate match: not the same person. */
  @Post('matches/:id/dismiss')
  @Roles('officer', 'supervisor')
  dismiss(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.review(id, 'dismiss', caller, correlationId, reply);
  }

  private async review(
    id: string,
    action: 'confirm' | 'dismiss',
    caller: PersonCaller,
    correlationId: string,
    reply: FastifyReply,
  ): Promise<void> {
    const matchId = idOrNotFound(id);
    await this.reviews.review(matchId, action, caller, correlationId);
    void reply.redirect(`/console/matches/${matchId}`, 303);
  }

  /** H2 permission requests: those the agency must decide as provider, and those it made. */
  @Get('permissions')
  @Roles('supervisor')
  async permissionList(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const rows = await this.forwards.involving(caller.agency, undefined, 100);
    const names = await this.agencies.findMany(rows.flatMap((r) => [r.provider_agency, r.from_agency, r.to_agency]));
    const name = (code: string) => `${names.get(code)?.name ?? code} (${code})`;
    const view = (r: (typeof rows)[number]) => ({
      id: r.id,
      messageId: r.message_id,
      caseReference: r.case_reference,
      from: name(r.from_agency),
      to: name(r.to_agency),
      provider: name(r.provider_agency),
      state: r.state,
      requestedAt: dateTimeWords(r.requested_at),
    });
    await this.pages.render(reply, caller, 'permissions', 'permissions', {
      title: 'Permission requests',
      toDecide: rows.filter((r) => r.provider_agency === caller.agency && r.state === 'pending').map(view),
      decided: rows.filter((r) => r.provider_agency === caller.agency && r.state !== 'pending').map(view),
      asked: rows.filter((r) => r.from_agency === caller.agency).map(view),
    });
  }

  @Post('permissions/:id/grant')
  @Roles('supervisor')
  grant(
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.decidePermission(id, 'grant', form, caller, correlationId, reply);
  }

  @Post('permissions/:id/deny')
  @Roles('supervisor')
  deny(
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.decidePermission(id, 'deny', form, caller, correlationId, reply);
  }

  private async decidePermission(
    id: string,
    decision: 'grant' | 'deny',
    form: Record<string, unknown>,
    caller: PersonCaller,
    correlationId: string,
    reply: FastifyReply,
  ): Promise<void> {
    const permissionId = idOrNotFound(id);
    const messageId = idOrNotFound(typeof form?.message === 'string' ? form.message : '');
    const decide = () => this.permissions.execute(messageId, permissionId, decision === 'grant', caller, correlationId);
    if (await confirmedFirst(reply, '/console/permissions', decide)) void reply.redirect('/console/permissions', 303);
  }
}
