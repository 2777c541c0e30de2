import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  CandidateState,
  candidateStateCodec,
  derivedEventId,
  matchActionCodec,
  MatchSideSchema,
  matchStrengthCodec,
  MatchUpdatedSchema,
  releaseDecisionCodec,
  Topics,
} from '@liaison/contracts';
import { isLinked, KEY_ENTITY_TYPE, type MatchKeyKind } from '@liaison/domain';
import { EventPublisher } from '@liaison/messaging';
import { Injectable } from '@nestjs/common';
import { MatchReviewRepository, type AppliedReview, type Review } from './match-review.repository';

/**
 * The owner-consent (hit / no-hit) workflow: applies owners' reviews of matches, then announces every applied
 * review that has not been announced yet as MatchUpdated (so a failed publish is made again on redelivery).
 */
@Injectable()
export class ReviewMatchesUseCase {
  constructor(
    private readonly reviews: MatchReviewRepository,
    private readonly publisher: EventPublisher,
  ) {}

  async execute(reviews: Review[], now = new Date()): Promise<{ applied: number; refused: number }> {
    const outcome = await this.reviews.apply(reviews, now);
    const pending = await this.reviews.unannounced(reviews.map((r) => r.reviewId));
    if (pending.length > 0) {
      await this.publisher.publish(Topics.matchUpdated, pending.map(matchUpdated));
      await this.reviews.markAnnounced(
        pending.map((r) => r.reviewId),
        new Date(),
      );
    }
    return outcome;
  }
}

/** The match's state after a review: cases, owners, decisions; never the matched value. */
function matchUpdated(review: AppliedReview) {
  return {
    eventId: derivedEventId(Topics.matchUpdated, review.reviewId),
    key: review.matchId,
    correlationId: review.reviewId,
    payload: create(MatchUpdatedSchema, {
      matchId: review.matchId,
      entityType: KEY_ENTITY_TYPE[review.kind as MatchKeyKind],
      strength: matchStrengthCodec.toProto(review.strength),
      a: create(MatchSideSchema, { caseReference: review.a.caseReference, agency: review.a.agency }),
      b: create(MatchSideSchema, { caseReference: review.b.caseReference, agency: review.b.agency }),
      actingAgency: review.agency,
      action: matchActionCodec.toProto(review.action),
      decisionA: releaseDecisionCodec.toProto(review.a.decision),
      decisionB: releaseDecisionCodec.toProto(review.b.decision),
      candidateState: review.candidateState
        ? candidateStateCodec.toProto(review.candidateState)
        : CandidateState.UNSPECIFIED,
      linked: isLinked(review),
      reviewId: review.reviewId,
      updatedAt: timestampFromDate(review.appliedAt),
    }),
  };
}
