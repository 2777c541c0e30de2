import { matchActionCodec, Topics, eventTime } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { MatchKeyBlinder } from '@liaison/protection';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { MatchReviewRepository, type Review } from './match-review.repository';
import { ReviewMatchesUseCase } from './review-matches.usecase';

@Controller()
export class MatchReviewsConsumer {
  constructor(
    private readonly reviewMatches: ReviewMatchesUseCase,
    private readonly reviews: MatchReviewRepository,
    private readonly blinder: MatchKeyBlinder,
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

  /**
   * Admins exclude keys from matching (or lift exclusions); applies to every match found afterwards. The gateway
   * sends blind keys; a key in clear from another producer is blinded here, as the index holds it.
   */
  @EventPattern(Topics.matchKeyExclusionChanged)
  async exclusions(@Payload() batch: EventBatch<typeof Topics.matchKeyExclusionChanged>): Promise<void> {
    // A key names its kind before a colon; one that does not is no key of the index (nothing to exclude).
    const keyed = batch.events.filter(({ payload }) => payload.key.indexOf(':') > 0);
    if (keyed.length < batch.events.length)
      this.logger.warn({ ignored: batch.events.length - keyed.length }, 'exclusions of no match key ignored');
    await this.reviews.changeExclusions(
      keyed.map(({ payload, recordedAt }) => ({
        key: this.blinder.blind(payload.key),
        sealedValue: payload.sealedValue.length > 0 ? Buffer.from(payload.sealedValue) : null,
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
