import {
  applyReview,
  type CandidateState,
  type MatchAction,
  type MatchStrength,
  type ReleaseDecision,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An owner's review as the gateway published it. */
export interface Review {
  reviewId: string;
  matchId: string;
  agency: string;
  action: MatchAction;
  reviewedByKeyId: string;
  reviewedAt: Date;
}

/** An applied review, with the match's state after it: what MatchUpdated announces. */
export interface AppliedReview {
  reviewId: string;
  matchId: string;
  agency: string;
  action: MatchAction;
  kind: string;
  strength: MatchStrength;
  a: { caseReference: string; agency: string; decision: ReleaseDecision };
  b: { caseReference: string; agency: string; decision: ReleaseDecision };
  candidateState: CandidateState | null;
  appliedAt: Date;
}

interface MatchRow {
  id: string;
  kind: string;
  strength: MatchStrength;
  case_a: string;
  agency_a: string;
  decision_a: ReleaseDecision;
  case_b: string;
  agency_b: string;
  decision_b: ReleaseDecision;
  candidate_state: CandidateState | null;
}

/**
 * The owner-consent workflow's state: decisions and candidate verdicts on `matches`, and every review received
 * in `match_reviews`. A batch is one transaction that locks the matches it touches, so two reviews of one
 * match (from its two owners, on different partitions) are applied one after the other.
 */
@Injectable()
export class MatchReviewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Applies the reviews not seen before, in order; returns how many were refused (already decided, say). */
  async apply(reviews: Review[], now: Date): Promise<{ applied: number; refused: number }> {
    if (reviews.length === 0) return { applied: 0, refused: 0 };
    return this.dataSource.transaction(async (manager) => {
      const seen: { review_id: string }[] = await manager.query(
        'SELECT review_id FROM match_reviews WHERE review_id = ANY($1::uuid[])',
        [reviews.map((r) => r.reviewId)],
      );
      const known = new Set(seen.map((r) => r.review_id));
      const fresh = reviews.filter((r) => !known.has(r.reviewId) && known.add(r.reviewId));
      if (fresh.length === 0) return { applied: 0, refused: 0 };
      const matches = await this.locked(manager, [...new Set(fresh.map((r) => r.matchId))]);
      const changed = new Set<string>();
      const rows = fresh.map((review) => {
        const row = matches.get(review.matchId);
        const state = row
          ? {
              a: { caseReference: row.case_a, agency: row.agency_a, decision: row.decision_a, messageId: null },
              b: { caseReference: row.case_b, agency: row.agency_b, decision: row.decision_b, messageId: null },
              strength: row.strength,
              candidateState: row.candidate_state,
            }
          : null;
        const outcome = state
          ? applyReview(state, review.agency, review.action)
          : { problem: { kind: 'not-found' as const } };
        if (row && 'match' in outcome) {
          row.decision_a = outcome.match.a.decision;
          row.decision_b = outcome.match.b.decision;
          row.candidate_state = outcome.match.candidateState;
          changed.add(row.id);
        }
        const refused =
          'problem' in outcome
            ? outcome.problem.kind === 'not-found'
              ? `no match ${review.matchId} owned by ${review.agency}`
              : outcome.problem.message
            : null;
        return {
          review,
          refused,
          decisionA: row?.decision_a ?? 'pending',
          decisionB: row?.decision_b ?? 'pending',
          candidateState: row?.candidate_state ?? null,
        };
      });
      if (changed.size > 0) {
        const updated = [...changed].map((id) => matches.get(id)!);
        await manager.query(
          `UPDATE matches m SET
             decided_a_at = CASE WHEN m.decision_a <> u.decision_a THEN $5::timestamptz ELSE m.decided_a_at END,
             decided_b_at = CASE WHEN m.decision_b <> u.decision_b THEN $5::timestamptz ELSE m.decided_b_at END,
             decision_a = u.decision_a, decision_b = u.decision_b, candidate_state = u.candidate_state
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, decision_a, decision_b, candidate_state)
            WHERE m.id = u.id`,
          [
            updated.map((m) => m.id),
            updated.map((m) => m.decision_a),
            updated.map((m) => m.decision_b),
            updated.map((m) => m.candidate_state),
            now,
          ],
        );
      }
      await manager.query(
        `INSERT INTO match_reviews (review_id, match_id, agency, action, reviewed_by_key_id, reviewed_at, refused, decision_a, decision_b, candidate_state, applied_at)
         SELECT r.*, $11::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[])
             AS r(review_id, match_id, agency, action, reviewed_by_key_id, reviewed_at, refused, decision_a, decision_b, candidate_state)`,
        [
          rows.map((r) => r.review.reviewId),
          rows.map((r) => r.review.matchId),
          rows.map((r) => r.review.agency),
          rows.map((r) => r.review.action),
          rows.map((r) => r.review.reviewedByKeyId),
          rows.map((r) => r.review.reviewedAt),
          rows.map((r) => r.refused),
          rows.map((r) => r.decisionA),
          rows.map((r) => r.decisionB),
          rows.map((r) => r.candidateState),
          now,
        ],
      );
      const refused = rows.filter((r) => r.refused !== null).length;
      return { applied: rows.length - refused, refused };
    });
  }

  /** Applied reviews among these that have not been announced yet (all of them, after a failed publish). */
  async unannounced(reviewIds: string[]): Promise<AppliedReview[]> {
    const rows: (Omit<MatchRow, 'id'> & {
      review_id: string;
      match_id: string;
      agency: string;
      action: MatchAction;
      applied_at: Date;
    })[] = await this.dataSource.query(
      `SELECT r.review_id, r.match_id, r.agency, r.action, r.decision_a, r.decision_b, r.candidate_state, r.applied_at,
              m.kind, m.strength, m.case_a, m.agency_a, m.case_b, m.agency_b
         FROM match_reviews r JOIN matches m ON m.id = r.match_id
        WHERE r.review_id = ANY($1::uuid[]) AND r.refused IS NULL AND r.announced_at IS NULL
        ORDER BY r.applied_at, r.reviewed_at, r.review_id`,
      [reviewIds],
    );
    return rows.map((r) => ({
      reviewId: r.review_id,
      matchId: r.match_id,
      agency: r.agency,
      action: r.action,
      kind: r.kind,
      strength: r.strength,
      a: { caseReference: r.case_a, agency: r.agency_a, decision: r.decision_a },
      b: { caseReference: r.case_b, agency: r.agency_b, decision: r.decision_b },
      candidateState: r.candidate_state,
      appliedAt: r.applied_at,
    }));
  }

  async markAnnounced(reviewIds: string[], at: Date): Promise<void> {
    if (reviewIds.length > 0)
      await this.dataSource.query('UPDATE match_reviews SET announced_at = $2 WHERE review_id = ANY($1::uuid[])', [
        reviewIds,
        at,
      ]);
  }

  /**
   * Excludes keys from matching or lifts exclusions, in order and in one transaction: a batch being indexed
   * reads every key's state in one statement, so it sees the change wholly or not at all.
   */
  async changeExclusions(
    changes: {
      key: string;
      sealedValue: Buffer | null;
      excluded: boolean;
      reason: string;
      byKeyId: string;
      at: Date;
    }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      for (const change of changes) {
        if (change.excluded) {
          await manager.query(
            `INSERT INTO match_key_exclusions (key, reason, excluded_by_key_id, excluded_at, sealed_value) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (key) DO UPDATE SET reason = EXCLUDED.reason, excluded_by_key_id = EXCLUDED.excluded_by_key_id,
               excluded_at = EXCLUDED.excluded_at, sealed_value = coalesce(EXCLUDED.sealed_value, match_key_exclusions.sealed_value)`,
            [change.key, change.reason, change.byKeyId, change.at, change.sealedValue],
          );
        } else {
          await manager.query('DELETE FROM match_key_exclusions WHERE key = $1', [change.key]);
        }
      }
    });
  }

  private async locked(manager: EntityManager, ids: string[]): Promise<Map<string, MatchRow>> {
    const rows: MatchRow[] = await manager.query(
      `SELECT id, kind, strength, case_a, agency_a, decision_a, case_b, agency_b, decision_b, candidate_state
         FROM matches WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }
}
