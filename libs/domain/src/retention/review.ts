import type { CrimeArea } from '../cases/case-rules';

/**
 * Review of what is kept (Directive (EU) 2016/680 Art. 5; Europol Regulation Art. 31): every case is reviewed at
 * the latest three years after its last activity, unless its agency has set another period for all its cases or
 * for a crime area. At review its owner's supervisors extend it (with a reason and a new date), close it or erase
 * it; a case not reviewed by then is overdue.
 */
export const DEFAULT_REVIEW_AFTER_MONTHS = 36;
/** The longest period an agency may set, and the furthest an extension may reach. */
export const MAX_REVIEW_AFTER_MONTHS = 120;
/** Cases whose review falls within this many days are in the review queue before they are due. */
export const REVIEW_QUEUE_DAYS = 30;

export const REVIEW_DECISIONS = ['extend', 'close', 'erase'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** An agency's review period, for all its cases (crimeArea null) or for one crime area. */
export interface RetentionRule {
  agency: string;
  crimeArea: CrimeArea | null;
  reviewAfterMonths: number;
}

/** `months` calendar months after `from` (the last day of a shorter month when the day does not exist). */
export function addMonths(from: Date, months: number): Date {
  const result = new Date(from.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const last = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, last));
  return result;
}

/**
 * The period that applies to a case: its agency's rule for its crime area, else its agency's rule for all its
 * cases, else the default.
 */
export function reviewPeriod(rules: readonly RetentionRule[], agency: string, crimeArea: CrimeArea | null): number {
  const own = rules.filter((rule) => rule.agency === agency);
  return (
    (crimeArea ? own.find((rule) => rule.crimeArea === crimeArea) : undefined)?.reviewAfterMonths ??
    own.find((rule) => rule.crimeArea === null)?.reviewAfterMonths ??
    DEFAULT_REVIEW_AFTER_MONTHS
  );
}

/** When a case is due for review: its period after its last activity, or later where an extension says so. */
export function reviewDueAt(lastActivityAt: Date, months: number, extendedUntil: Date | null): Date {
  const due = addMonths(lastActivityAt, months);
  return extendedUntil && extendedUntil > due ? extendedUntil : due;
}

/** The problem with a review period an agency sets, or null. */
export function reviewPeriodProblem(months: unknown): string | null {
  return Number.isInteger(months) && (months as number) >= 1 && (months as number) <= MAX_REVIEW_AFTER_MONTHS
    ? null
    : `must be a whole number of months from 1 to ${MAX_REVIEW_AFTER_MONTHS}`;
}

/**
 * The day an extension names, as a date at midnight UTC; null when the text is no calendar day (a 31 February
 * would otherwise roll over into March).
 */
export function reviewDay(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const day = new Date(`${text}T00:00:00.000Z`);
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? null : day;
}

/** The problem with an extension to `until`, decided at `now`, or null: after today, and within the longest period. */
export function reviewExtensionProblem(until: Date, now: Date): string | null {
  if (until.getTime() <= now.getTime()) return 'must be a date after today';
  if (until.getTime() > addMonths(now, MAX_REVIEW_AFTER_MONTHS).getTime())
    return `must be within ${MAX_REVIEW_AFTER_MONTHS} months of today`;
  return null;
}
