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
  /** The owner's own message that holds the entity (the owner's own data, shown to it from the start). */
  ownMessageId: string | null;
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
    ownMessageId: own.messageId,
    otherAgency: other.agency,
    ownDecision: own.decision,
    otherDecision: other.decision,
    linked: isLinked(match),
    ...(otherReleased
      ? { released: { value: match.value, otherCase: other.caseReference, otherMessageId: other.messageId } }
      : {}),
  };
}

/** not-found: not an owner; conflict: already settled; invalid: the action does not apply to this match. */
export type MatchActionProblem =
  { kind: 'not-found' } | { kind: 'conflict'; message: string } | { kind: 'invalid'; message: string };

/**
 * Whether the agency may release or decline its side's details: once, as an owner of a side, and not on a
 * candidate that was dismissed (it is not the same person, so there is nothing to release).
 */
export function decisionProblem(
  match: Pick<MatchRecord, 'a' | 'b' | 'candidateState'>,
  agency: string,
): MatchActionProblem | null {
  const side = ownedSide(match, agency);
  if (side === null) return { kind: 'not-found' };
  if (match.candidateState === 'dismissed')
    return { kind: 'invalid', message: 'the candidate was dismissed: there is nothing to release' };
  const decision = match[side].decision;
  return decision === 'pending' ? null : { kind: 'conflict', message: `this side's details were already ${decision}` };
}

/** Whether the agency may confirm or dismiss a candidate: an owner of either side, while it is suggested. */
export function candidateProblem(
  match: Pick<MatchRecord, 'a' | 'b' | 'strength' | 'candidateState'>,
  agency: string,
): MatchActionProblem | null {
  if (ownedSide(match, agency) === null) return { kind: 'not-found' };
  if (match.strength !== 'candidate')
    return { kind: 'invalid', message: 'only a candidate match is confirmed or dismissed; this match is strong' };
  return match.candidateState === 'suggested'
    ? null
    : { kind: 'conflict', message: `the candidate was already ${match.candidateState}` };
}

export type MatchAction = 'release' | 'decline' | 'confirm' | 'dismiss';

/**
 * Why an owner released or declined, as a code: the audit trail records it, and holds no free text (a reason
 * written by hand could carry personal data the trail can never erase).
 */
export const MATCH_DECISION_REASONS = [
  'same-investigation',
  'operationally-useful',
  'operationally-sensitive',
  'legal-restriction',
  'not-the-same-entity',
  'other',
] as const;
export type MatchDecisionReason = (typeof MATCH_DECISION_REASONS)[number];

export type MatchState = Pick<MatchRecord, 'a' | 'b' | 'strength' | 'candidateState'>;

/** Whether the agency may take the action on the match. */
export function reviewProblem(match: MatchState, agency: string, action: MatchAction): MatchActionProblem | null {
  return action === 'release' || action === 'decline'
    ? decisionProblem(match, agency)
    : candidateProblem(match, agency);
}

/**
 * The match after the agency's action, or the problem that stops it. A release or decline settles the
 * agency's own side; a confirmation or dismissal settles the candidate for both.
 */
export function applyReview<M extends MatchState>(
  match: M,
  agency: string,
  action: MatchAction,
): { match: M } | { problem: MatchActionProblem } {
  const problem = reviewProblem(match, agency, action);
  if (problem) return { problem };
  if (action === 'confirm' || action === 'dismiss')
    return { match: { ...match, candidateState: action === 'confirm' ? 'confirmed' : 'dismissed' } };
  const side = ownedSide(match, agency)!;
  return { match: { ...match, [side]: { ...match[side], decision: action === 'release' ? 'released' : 'declined' } } };
}

/** Both owners released their details: the cases are linked and each owner may write in the other's case. */
export function isLinked(match: {
  a: Pick<MatchSideRecord, 'decision'>;
  b: Pick<MatchSideRecord, 'decision'>;
}): boolean {
  return match.a.decision === 'released' && match.b.decision === 'released';
}
