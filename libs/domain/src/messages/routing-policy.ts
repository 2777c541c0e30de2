import { uncleared, type Classification } from './classification';
import { jitSendProblem, type JitPeriod } from '../cases/jits';

/**
 * The router's decision for one submitted message. Pure: everything it needs is passed in, so the same
 * rules hold however the message arrived.
 */
/**
 * Why the router refuses a message. INVALID_CONTENT: a text field the database would refuse (see text.ts);
 * UNPROCESSABLE: the router could not apply it at all and dead-lettered it (an administrator may re-drive it).
 */
export type RejectionCode =
  | 'UNKNOWN_SENDER'
  | 'UNKNOWN_RECIPIENT'
  | 'CASE_NOT_ACCESSIBLE'
  | 'CASE_CLOSED'
  | 'RECIPIENT_NOT_CLEARED'
  | 'JIT_NOT_OPEN'
  | 'INVALID_CONTENT'
  | 'UNPROCESSABLE';

export type RoutingDecision = { route: true } | { route: false; code: RejectionCode; detail: string };

export interface Submission {
  caseReference: string;
  opensCase: boolean;
  senderAgency: string;
  recipientAgencies: readonly string[];
  classification: Classification;
  /** The JIT the message is addressed to, if any, and the UTC day it was sent on. */
  jitId?: string;
  sentOn?: string;
}

export interface RoutingContext {
  isKnownAgency(code: string): boolean;
  /** Agencies taking part in the case, or undefined when no such case exists (yet). */
  participantsOf(caseReference: string): ReadonlySet<string> | undefined;
  /** Whether the case has been closed by its owner. */
  isClosed(caseReference: string): boolean;
  /** An agency's clearance; undefined for an unknown agency. */
  clearanceOf(code: string): Classification | undefined;
  /** A JIT's period and current members; undefined when there is no such JIT. */
  jitOf?(jitId: string): (JitPeriod & { members: ReadonlySet<string> }) | undefined;
  /** The JIT a case is linked to, if any: members of that JIT may write into it through the JIT. */
  caseJitOf?(caseReference: string): string | undefined;
}

export function decideRouting(submission: Submission, context: RoutingContext): RoutingDecision {
  if (!context.isKnownAgency(submission.senderAgency)) {
    return { route: false, code: 'UNKNOWN_SENDER', detail: `unknown sender agency ${submission.senderAgency}` };
  }
  const unknown = submission.recipientAgencies.filter((code) => !context.isKnownAgency(code));
  if (unknown.length > 0) {
    return { route: false, code: 'UNKNOWN_RECIPIENT', detail: `unknown recipient agencies: ${unknown.join(', ')}` };
  }
  const notCleared = uncleared(submission.recipientAgencies, submission.classification, (code) =>
    context.clearanceOf(code),
  );
  if (notCleared.length > 0) {
    return {
      route: false,
      code: 'RECIPIENT_NOT_CLEARED',
      detail: `not cleared for ${submission.classification}: ${notCleared.join(', ')}`,
    };
  }
  if (submission.jitId) {
    const problem = jitSendProblem(context.jitOf?.(submission.jitId), submission.senderAgency, submission.sentOn ?? '');
    if (problem) return { route: false, code: 'JIT_NOT_OPEN', detail: problem };
  }
  const participants = context.participantsOf(submission.caseReference);
  // A new case is opened by its first message; a case that already exists may only be written to by its
  // participants, whether or not the message claims to open it (a reference is never taken over).
  const throughJit =
    submission.jitId !== undefined && context.caseJitOf?.(submission.caseReference) === submission.jitId;
  if (participants === undefined ? !submission.opensCase : !participants.has(submission.senderAgency) && !throughJit) {
    return {
      route: false,
      code: 'CASE_NOT_ACCESSIBLE',
      detail: `case ${submission.caseReference} does not exist or ${submission.senderAgency} takes no part in it`,
    };
  }
  if (context.isClosed(submission.caseReference)) {
    return { route: false, code: 'CASE_CLOSED', detail: `case ${submission.caseReference} is closed` };
  }
  return { route: true };
}
