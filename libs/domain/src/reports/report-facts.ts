import type { CandidateState, ReleaseDecision } from '../matching/match-disclosure';
import type { MatchStrength } from '../matching/match-keys';
import { deadlineChecks } from '../notifications/notifications';
import { responseBucket } from './response-times';
import { sumFacts } from './exchange-facts';
import { REQUEST_COUNT_FIELDS } from './cube-catalogue';
import { utcDay } from '@liaison/common';

/**
 * The tracker's pre-aggregated report facts beyond message volumes: requests and their answers, and matches.
 * Each is derived from the current state of one request (per recipient) or one match, so that when the state
 * changes the tracker subtracts the old facts and adds the new ones: figures follow every change exactly once,
 * and replaying the same events gives the same figures.
 */

/** The periods facts are kept for: every report period is a whole number of them. */
export const STORED_GRAINS = ['day', 'month', 'quarter', 'year'] as const;
export type StoredGrain = (typeof STORED_GRAINS)[number];

/**
 * The first day of the stored period that holds a day: `2017-07-14` is in month `2017-07-01`, quarter
 * `2017-07-01` and year `2017-01-01`.
 */
export function grainStart(day: string, grain: StoredGrain): string {
  switch (grain) {
    case 'day':
      return day;
    case 'month':
      return `${day.slice(0, 7)}-01`;
    case 'quarter':
      return `${day.slice(0, 5)}${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    case 'year':
      return `${day.slice(0, 4)}-01-01`;
  }
}

/** One recipient's part in a request or cross-check, as the tracker keeps it. */
export interface RequestState {
  /** The requesting agency's country. */
  country: string;
  /** The recipient agency's country: the partner who owes the answer. */
  partnerCountry: string;
  priority: string;
  sentAt: Date;
  deadline: Date;
  /** When the recipient's first reply was routed; null while unanswered. */
  answeredAt: Date | null;
}

/** Requests sent in a period to a partner, and how many were answered and answered within their deadline. */
export interface RequestCountFact {
  day: string;
  country: string;
  partnerCountry: string;
  priority: string;
  requests: number;
  answered: number;
  withinDeadline: number;
}

/** Answers to requests sent in a period, per time-to-answer bucket (see `responseBucket`). */
export interface AnswerTimeFact {
  day: string;
  country: string;
  partnerCountry: string;
  priority: string;
  bucket: number;
  answers: number;
}

/** What one recipient's request adds to the figures, in the period it was sent. */
export function requestFacts(state: RequestState): { counts: RequestCountFact; times: AnswerTimeFact[] } {
  const day = utcDay(state.sentAt);
  const { country, partnerCountry, priority } = state;
  const answered = state.answeredAt !== null;
  const within = answered && state.answeredAt!.getTime() <= state.deadline.getTime();
  const counts = {
    day,
    country,
    partnerCountry,
    priority,
    requests: 1,
    answered: answered ? 1 : 0,
    withinDeadline: within ? 1 : 0,
  };
  const seconds = answered ? (state.answeredAt!.getTime() - state.sentAt.getTime()) / 1000 : 0;
  return {
    counts,
    times: answered ? [{ day, country, partnerCountry, priority, bucket: responseBucket(seconds), answers: 1 }] : [],
  };
}

/** Where an open request stands against its deadline at a moment. */
export const DEADLINE_STATES = ['within-deadline', 'approaching', 'overdue'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** The moment an open request starts approaching its deadline (the same moment recipients are reminded). */
export function approachingFrom(sentAt: Date, deadline: Date): Date {
  return deadlineChecks(sentAt, deadline).approaching;
}

export function deadlineState(sentAt: Date, deadline: Date, now: Date): DeadlineState {
  if (now.getTime() >= deadline.getTime()) return 'overdue';
  return now.getTime() >= approachingFrom(sentAt, deadline).getTime() ? 'approaching' : 'within-deadline';
}

/** A match as the tracker keeps it: enough to count it, nothing that identifies a case. */
export interface MatchReportState {
  /** Day the match was found; null until the tracker has seen it found (an update may arrive first). */
  foundOn: string | null;
  entityType: string;
  strength: MatchStrength;
  a: { agency: string; country: string; decision: ReleaseDecision };
  b: { agency: string; country: string; decision: ReleaseDecision };
  candidateState: CandidateState | null;
}

/** Matches found in a period, seen from one country, with the decisions taken on them so far. */
export interface MatchFact {
  day: string;
  country: string;
  partnerCountry: string;
  entityType: string;
  strength: string;
  found: number;
  /** Sides held by this country's agencies whose details were released, or declined. */
  released: number;
  declined: number;
  /** Candidate matches a person confirmed or dismissed. */
  confirmed: number;
  dismissed: number;
}

/**
 * What a match adds to the figures of each country holding one of its sides, in the period it was found. A
 * match between two agencies of one country counts once for that country (its partner is itself), with the
 * release decisions of both sides.
 */
export function matchFacts(state: MatchReportState): MatchFact[] {
  if (state.foundOn === null) return [];
  const sides = [state.a, state.b];
  const countries = [...new Set(sides.map((side) => side.country))].sort();
  return countries.map((country) => {
    const own = sides.filter((side) => side.country === country);
    const partnerCountry = sides.find((side) => side.country !== country)?.country ?? country;
    return {
      day: state.foundOn!,
      country,
      partnerCountry,
      entityType: state.entityType,
      strength: state.strength,
      found: 1,
      released: own.filter((side) => side.decision === 'released').length,
      declined: own.filter((side) => side.decision === 'declined').length,
      confirmed: state.candidateState === 'confirmed' ? 1 : 0,
      dismissed: state.candidateState === 'dismissed' ? 1 : 0,
    };
  });
}

/**
 * The change from one set of facts to another: the new facts plus the old ones negated, summed per key, without
 * rows that do not change. Applying it to aggregates moves them from the old state's figures to the new one's.
 */
export function factChange<T extends object>(
  before: readonly T[],
  after: readonly T[],
  key: (row: T) => readonly (string | number)[],
  counts: readonly (keyof T)[],
): T[] {
  const negated = before.map((row) => {
    const copy = { ...row };
    for (const count of counts) (copy[count] as number) = -(row[count] as number);
    return copy;
  });
  return sumFacts([...negated, ...after], key, counts).filter((row) => counts.some((count) => row[count] !== 0));
}

/**
 * What answering requests changes in the figures: each request's counts move from unanswered to answered (in the
 * period it was sent), and its answer is added to the time bucket it took. `answered` are the requests as they
 * are once answered.
 */
export function answeredChange(answered: readonly RequestState[]): {
  counts: RequestCountFact[];
  times: AnswerTimeFact[];
} {
  const before = answered.map((request) => requestFacts({ ...request, answeredAt: null }).counts);
  const after = answered.map((request) => requestFacts(request));
  return {
    counts: factChange(
      before,
      after.map((facts) => facts.counts),
      (r) => [r.day, r.country, r.partnerCountry, r.priority],
      REQUEST_COUNT_FIELDS,
    ),
    times: after.flatMap((facts) => facts.times),
  };
}
