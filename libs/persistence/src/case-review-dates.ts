/**
 * Each case's review date, as `@liaison/domain`'s `reviewDueAt` and `reviewPeriod` compute it, in SQL: a
 * sub-query of rows (case_reference, owner_agency, crime_area, status, last_activity_at, review_after_months,
 * review_due_at) for the cases that `where` (SQL over `cases c`, with the caller's parameters) selects. The last
 * activity is the latest of the case's opening, closing and messages.
 */
export function caseReviewDates(where: string): string {
  return `(SELECT c.reference AS case_reference, c.owner_agency, c.crime_area, c.status, activity.at AS last_activity_at,
                 rule.months AS review_after_months, review.decision, review.extended_until, review.reason,
                 greatest(activity.at + make_interval(months => rule.months), review.extended_until) AS review_due_at
            FROM cases c
            CROSS JOIN LATERAL (SELECT greatest(c.opened_at, c.closed_at,
                                                (SELECT max(m.routed_at) FROM messages m WHERE m.case_reference = c.reference)) AS at) AS activity
            CROSS JOIN LATERAL (SELECT r.review_after_months AS months FROM retention_rules r
                                 WHERE r.agency_code IN (c.owner_agency, '*') AND r.crime_area IN (coalesce(c.crime_area, ''), '')
                                 ORDER BY r.agency_code = '*', r.crime_area = '' LIMIT 1) AS rule
            LEFT JOIN case_reviews review ON review.case_reference = c.reference
           WHERE ${where})`;
}

/**
 * For `caseReviewDates`' `where`: the case's erasure has not begun. A case being erased is in no review queue,
 * count or notification, though its review (and a retried decision to erase it) still reads until it is gone.
 */
export const NOT_BEING_ERASED = 'NOT EXISTS (SELECT 1 FROM case_erasures e WHERE e.case_reference = c.reference)';
