import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  CandidateState,
  candidateStateCodec,
  derivedEventId,
  MatchAction,
  MatchSideSchema,
  matchStrengthCodec,
  MatchUpdatedSchema,
  releaseDecisionCodec,
  Topics,
  type OutgoingEvent,
} from '@liaison/contracts';
import {
  KEY_ENTITY_TYPE,
  type CandidateState as DomainCandidateState,
  type MatchKeyKind,
  type ReleaseDecision,
} from '@liaison/domain';
import { EventPublisher } from '@liaison/messaging';
import { CaseKeys } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { MatchWithdrawalRepository, type MatchState } from './match-withdrawal.repository';
import type { StoredMatch } from './match-index.repository';

/**
 * Erasure, for the matcher: the erased case's holdings in the index go, and so does every match built on them.
 * The other side of each match it had been told of is told the match was withdrawn (MatchUpdated, WITHDRAW),
 * with nothing of the erased side; that is published before the rows go, under ids of its own, so a crash in
 * between repeats it harmlessly. Erasing again changes nothing.
 */
@Injectable()
export class WithdrawErasedMatchesUseCase {
  constructor(
    private readonly index: MatchWithdrawalRepository,
    private readonly publisher: EventPublisher,
    private readonly keys: CaseKeys,
  ) {}

  async execute(references: readonly string[], now = new Date()): Promise<{ withdrawn: number }> {
    let withdrawn = 0;
    for (const reference of references) {
      this.keys.forget(reference);
      const told = (await this.index.matchesOfCase(reference)).filter((m) => m.announced);
      if (told.length > 0)
        await this.publisher.publish(
          Topics.matchUpdated,
          told.map((match) => withdrawal(match, reference, now)),
        );
      await this.index.eraseCase(reference, now);
      withdrawn += told.length;
    }
    return { withdrawn };
  }
}

/**
 * A match withdrawn because one side's case was erased or no longer holds the key: the other side is named, the
 * side that went is not.
 */
export function withdrawal(
  match: StoredMatch & { state: MatchState },
  erased: string,
  at: Date,
): OutgoingEvent<typeof Topics.matchUpdated> {
  const side = (s: { caseReference: string; agency: string }) =>
    create(MatchSideSchema, s.caseReference === erased ? {} : { caseReference: s.caseReference, agency: s.agency });
  const reviewId = derivedEventId('withdrawal', match.id);
  return {
    eventId: derivedEventId(Topics.matchUpdated, reviewId),
    key: match.id,
    correlationId: reviewId,
    payload: create(MatchUpdatedSchema, {
      matchId: match.id,
      entityType: KEY_ENTITY_TYPE[match.kind as MatchKeyKind],
      strength: matchStrengthCodec.toProto(match.strength),
      a: side(match.a),
      b: side(match.b),
      action: MatchAction.WITHDRAW,
      decisionA: releaseDecisionCodec.toProto(match.state.decisionA as ReleaseDecision),
      decisionB: releaseDecisionCodec.toProto(match.state.decisionB as ReleaseDecision),
      candidateState: match.state.candidateState
        ? candidateStateCodec.toProto(match.state.candidateState as DomainCandidateState)
        : CandidateState.UNSPECIFIED,
      linked: false,
      reviewId,
      updatedAt: timestampFromDate(at),
    }),
  };
}
