import type { MatchStrength } from './match-keys';

/**
 * What each side of a match may know (hit / no-hit). At first an owner learns only that its own case matches
 * a case of another agency through an entity of some type. The other side's details (the matched value, its
 * case reference and message) are released to it only by the other owner's decision; declined details are
 * never shown. When both owners have released, the cases are linked.
 */
export type ReleaseDecision = 'pending' | 'released' | 'declined';
export type CandidateState = 'suggested' | 'confirmed' | 'dismissed';

export interface MatchSideRecord {
  caseReference: string;
  agency: string;
  decision: ReleaseDecision;
  /** The message of this side that holds the shared key. */
  messageId: string | null;
}

export interface MatchRecord {
  id: string;
  entityType: string;
  strength: MatchStrength;
  /** The matched value, as normalised; shown to a side only once the other has released. */
  value: string;
  a: MatchSideRecord;
  b: MatchSideRecord;
  candidateState: CandidateState | null;
  foundAt: Date;
}

export interface MatchDisclosure {
  id: string;
  entityType: string;
  strength: MatchStrength;
  candidateState: CandidateState | null;
  foundAt: Date;
  ownCase: string;
  otherAgency: string;
  ownDecision: ReleaseDecision;
  otherDecision: ReleaseDecision;
  /** Both owners released: the cases are linked. */
  linked: boolean;
  /** Present only when the other owner released its details. */
  released?: { value: string; otherCase: string; otherMessageId: string | null };
}

/** The side the agency owns, or null when it owns neither (a stranger sees nothing of the match). */
export function ownedSide(match: Pick<MatchRecord, 'a' | 'b'>, agency: string): 'a' | 'b' | null {
  if (match.a.agency === agency) return 'a';
  if (match.b.agency === agency) return 'b';
  return null;
}

/** The match as the agency may see it, or null when it is not one of the owners. */
export function discloseMatch(match: MatchRecord, agency: string): MatchDisclosure | null {
  const side = ownedSide(match, agency);
  if (side === null) return null;
  const own = match[side];
  const other = match[side === 'a' ? 'b' : 'a'];
  // An agency on both sides (two of its own cases) already holds both sides' details.
  const otherReleased = other.decision === 'released' || other.agency === agency;
  return {
    id: match.id,
    entityType: match.entityType,
    strength: match.strength,
    candidateState: match.candidateState,
    foundAt: match.foundAt,
    ownCase: own.caseReference,
    otherAgency: other.agency,
    ownDecision: own.decision,
    otherDecision: other.decision,
    linked: match.a.decision === 'released' && match.b.decision === 'released',
    ...(otherReleased ? { released: { value: match.value, otherCase: other.caseReference, otherMessageId: other.messageId } } : {}),
  };
}

export type MatchActionProblem = { kind: 'not-found' } | { kind: 'conflict'; message: string };

/** Whether the agency may release or decline its side's details: once, as an owner of a side. */
export function decisionProblem(match: Pick<MatchRecord, 'a' | 'b'>, agency: string): MatchActionProblem | null {
  const side = ownedSide(match, agency);
  if (side === null) return { kind: 'not-found' };
  const decision = match[side].decision;
  return decision === 'pending' ? null : { kind: 'conflict', message: `this side's details were already ${decision}` };
}

/** Whether the agency may confirm or dismiss a candidate: an owner of either side, while it is suggested. */
export function candidateProblem(match: Pick<MatchRecord, 'a' | 'b' | 'strength' | 'candidateState'>, agency: string): MatchActionProblem | null {
  if (ownedSide(match, agency) === null) return { kind: 'not-found' };
  if (match.strength !== 'candidate') return { kind: 'conflict', message: 'only a candidate match is confirmed or dismissed; this match is strong' };
  return match.candidateState === 'suggested' ? null : { kind: 'conflict', message: `the candidate was already ${match.candidateState}` };
}
