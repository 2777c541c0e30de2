import type { CandidateState, ReleaseDecision } from '../matching/match-disclosure';
import type { MatchStrength } from '../matching/match-keys';
import { utcDay } from '@liaison/common';
import type { MatchReportState } from './report-facts';

/** What a match event tells the tracker; the sides' countries are looked up before. */
interface MatchEventBase {
  matchId: string;
  entityType: string;
  strength: MatchStrength;
  a: { agency: string; country: string };
  b: { agency: string; country: string };
}

export type MatchEvent =
  | (MatchEventBase & { kind: 'found'; foundAt: Date })
  | (MatchEventBase & {
      kind: 'updated';
      updatedAt: Date;
      decisionA: ReleaseDecision;
      decisionB: ReleaseDecision;
      candidateState: CandidateState | null;
    });

/** A match as the tracker keeps it, with when its state last changed: an older update never replaces a newer one. */
export interface TrackedMatch extends MatchReportState {
  matchId: string;
  updatedAt: Date;
}

/** A match the tracker has not seen: not found yet, nothing decided (a candidate is suggested), counting nothing. */
export function blankMatch(event: MatchEvent): TrackedMatch {
  return {
    matchId: event.matchId,
    foundOn: null,
    entityType: event.entityType,
    strength: event.strength,
    a: { ...event.a, decision: 'pending' },
    b: { ...event.b, decision: 'pending' },
    candidateState: event.strength === 'candidate' ? 'suggested' : null,
    updatedAt: new Date(0),
  };
}

/**
 * Applies one event to a match: found sets the day it was found (once); an update replaces an older state. Found
 * and updated events travel on different topics and may arrive in either order; the state comes out the same.
 * Returns the same object when nothing changes.
 */
export function applyMatchEvent(match: TrackedMatch, event: MatchEvent): TrackedMatch {
  if (event.kind === 'found') return match.foundOn === null ? { ...match, foundOn: utcDay(event.foundAt) } : match;
  if (event.updatedAt.getTime() < match.updatedAt.getTime()) return match;
  return {
    ...match,
    entityType: event.entityType,
    strength: event.strength,
    a: { ...match.a, decision: event.decisionA },
    b: { ...match.b, decision: event.decisionB },
    candidateState: event.candidateState,
    updatedAt: event.updatedAt,
  };
}
