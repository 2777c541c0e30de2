import { matchActionCodec, Topics, eventTime } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { MatchReviewRepository, type Review } from './match-review.repository';
import { ReviewMatchesUseCase } from './review-matches.usecase';

@Controller()
export class MatchReviewsConsumer {
  constructor(
    private readonly reviewMatches: ReviewMatchesUseCase,
    private readonly reviews: MatchReviewRepository,
    @InjectPinoLogger(MatchReviewsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** Owners release, decline, confirm or dismiss; the first decision per side (or per candidate) holds. */
  @EventPattern(Topics.matchReviewed)
  async reviewed(@Payload() batch: EventBatch<typeof Topics.matchReviewed>): Promise<void> {
    const reviews: Review[] = [];
    for (const { payload, recordedAt } of batch.events) {
      const action = matchActionCodec.fromProto(payload.action);
      if (!action) {
        this.logger.warn(
          { reviewId: payload.reviewId, action: payload.action },
          'review without a known action ignored',
        );
        continue;
      }
      reviews.push({
        reviewId: payload.reviewId,
        matchId: payload.matchId,
        agency: payload.agency,
        action,
        reviewedByKeyId: payload.reviewedByKeyId,
        reviewedAt: eventTime(payload.reviewedAt, recordedAt),
      });
    }
    const outcome = await this.reviewMatches.execute(reviews);
    if (outcome.refused > 0)
      this.logger.info({ ...outcome }, 'reviews refused: the match was already decided or is not the agency’s');
  }

  /** Admins exclude keys from matching (or lift exclusions); applies to every match found afterwards. */
  @EventPattern(Topics.matchKeyExclusionChanged)
  async exclusions(@Payload() batch: EventBatch<typeof Topics.matchKeyExclusionChanged>): Promise<void> {
    await this.reviews.changeExclusions(
      batch.events.map(({ payload, recordedAt }) => ({
        key: payload.key,
        excluded: payload.excluded,
        reason: payload.reason,
        byKeyId: payload.changedByKeyId,
        at: eventTime(payload.changedAt, recordedAt),
      })),
    );
    // Counts only: a key is personal data.
    this.logger.info({ changes: batch.events.length }, 'match key exclusions changed');
  }
}
