import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { matchActionCodec, MatchReviewedSchema, Topics } from '@liaison/contracts';
import {
  discloseMatch,
  type MatchDecisionReason,
  ownedSide,
  reviewProblem,
  type MatchAction,
  type MatchDisclosure,
  type MatchRecord,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import { requireFreshSecondFactor } from '../people/step-up';
import { MatchReadRepository } from './match-read.repository';
import { AgencyRepository } from '@liaison/persistence';
import { cursorOf, page } from '../application/pagination';
import type { MatchQueryDto } from './match.dto';
import type { MatchPageView, MatchView } from './match.views';

const AUDIT_ACTION = {
  release: 'match.released',
  decline: 'match.declined',
  confirm: 'match.confirmed',
  dismiss: 'match.dismissed',
} as const;

/** Whether the review shows in the match as the matcher now holds it. */
function reviewApplied(match: MatchRecord, agency: string, action: MatchAction): boolean {
  if (action === 'confirm' || action === 'dismiss') return match.candidateState !== 'suggested';
  return match[ownedSide(match, agency)!].decision !== 'pending';
}

/**
 * Owners' decisions on matches. The matcher owns them, so a decision is an event; the request checks what it
 * can first (an owner, not yet decided) and then waits briefly for the matcher so the answer shows the state.
 */
export function matchView(match: MatchDisclosure): MatchView {
  return { ...match, foundAt: match.foundAt.toISOString() };
}

@Injectable()
export class MatchReviewUseCase {
  constructor(
    private readonly matches: MatchReadRepository,
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MatchReviewUseCase.name);
  }

  /** The match as the caller's agency may see it; a match it does not own is a 404, as if it did not exist. */
  async visible(id: string, agency: string): Promise<{ record: MatchRecord; view: MatchDisclosure }> {
    const record = await this.matches.find(id);
    const view = record ? discloseMatch(record, agency) : null;
    if (!record || !view) throw new ApplicationError(ErrorCode.NotFound, `no match ${id} of a case owned by ${agency}`);
    return { record, view };
  }

  /** Matches of the caller's agency's cases, newest first, with figures; a programme lead gets its country's figures only. */
  async list(query: MatchQueryDto, caller: Caller): Promise<MatchPageView> {
    if (caller.role === 'programme-lead') {
      const agency = await this.agencies.find(caller.agency);
      return { counts: await this.matches.counts({ country: agency?.country ?? '' }) };
    }
    const limit = query.limit ?? 25;
    const [rows, counts] = await Promise.all([
      this.matches.list(
        caller.agency,
        { strength: query.strength, awaitingDecision: query.awaitingDecision, caseReference: query.caseReference },
        limit + 1,
        cursorOf(query),
      ),
      this.matches.counts({ agency: caller.agency }),
    ]);
    return {
      counts,
      ...page(
        rows,
        limit,
        (row) => matchView(discloseMatch(row, caller.agency)!),
        (row) => ({ at: row.foundAt, id: row.id }),
      ),
    };
  }

  async review(
    id: string,
    action: MatchAction,
    caller: Caller,
    correlationId: string,
    reason?: MatchDecisionReason,
  ): Promise<MatchDisclosure> {
    const { record } = await this.visible(id, caller.agency);
    const problem = reviewProblem(record, caller.agency, action);
    if (problem?.kind === 'conflict') throw new ApplicationError(ErrorCode.AlreadyDecided, problem.message);
    if (problem?.kind === 'invalid') throw new ApplicationError(ErrorCode.NotReviewable, problem.message);
    // Releasing discloses the owner's details to the other agency: a person confirms it is them first.
    if (action === 'release') requireFreshSecondFactor(caller);
    const reviewId = randomUUID();
    await this.audit.publishAudited(
      Topics.matchReviewed,
      [
        {
          key: id,
          correlationId,
          payload: create(MatchReviewedSchema, {
            reviewId,
            matchId: id,
            agency: caller.agency,
            action: matchActionCodec.toProto(action),
            reviewedByKeyId: caller.id,
            reviewedAt: timestampFromDate(new Date()),
          }),
        },
      ],
      caller,
      [
        {
          action: AUDIT_ACTION[action],
          objectType: 'match',
          objectId: id,
          detail: `review ${reviewId}${reason ? ` reason ${reason}` : ''}`,
        },
      ],
      correlationId,
    );
    this.logger.info({ matchId: id, reviewId, action }, 'match reviewed');
    const settled = await settle(
      () => this.matches.find(id),
      (match) => match !== null && reviewApplied(match, caller.agency, action),
    );
    return discloseMatch(settled ?? record, caller.agency)!;
  }
}
