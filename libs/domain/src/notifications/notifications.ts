/**
 * In-app notifications and the webhooks that carry them. A notification is built from an event by these
 * rules and holds only what its agency may read through the API: a match names the agency's own case, the
 * other agency and the entity type; a message names its case, sender, type and deadline, never its subject or
 * body. The webhook body is the notification as the API shows it, so a webhook can carry nothing more.
 */
export const NOTIFICATION_EVENTS = [
  'match.found',
  'match.updated',
  'message.received',
  'deadline.approaching',
  'deadline.overdue',
  'match.withdrawn',
  'case.erased',
  'case.review-overdue',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface NotificationDraft {
  agency: string;
  event: NotificationEvent;
  /** What it is about; one notification per agency, event and source. */
  sourceId: string;
  payload: Record<string, unknown>;
}

interface Side {
  caseReference: string;
  agency: string;
}

export interface MatchFoundFacts {
  matchId: string;
  entityType: string;
  strength: string;
  a: Side;
  b: Side;
  foundAt: Date;
}

/** Each owner is told of its own case, the other agency and the entity type; never the value or the other case. */
export function matchFoundNotifications(match: MatchFoundFacts): NotificationDraft[] {
  const sides: [Side, Side][] = [
    [match.a, match.b],
    [match.b, match.a],
  ];
  return sides.map(([own, other]) => ({
    agency: own.agency,
    event: 'match.found',
    sourceId: match.matchId,
    payload: {
      matchId: match.matchId,
      entityType: match.entityType,
      strength: match.strength,
      ownCase: own.caseReference,
      otherAgency: other.agency,
      foundAt: match.foundAt.toISOString(),
    },
  }));
}

export interface MatchUpdatedFacts {
  matchId: string;
  reviewId: string;
  entityType: string;
  a: Side;
  b: Side;
  actingAgency: string;
  /** released, declined, confirmed or dismissed. */
  outcome: string;
  linked: boolean;
  updatedAt: Date;
}

/**
 * The other owner is told what the acting owner did; when the cases become linked, both are told. The details
 * released are read through the API, so the notification carries none.
 */
export function matchUpdatedNotifications(update: MatchUpdatedFacts): NotificationDraft[] {
  const sides: [Side, Side][] = [
    [update.a, update.b],
    [update.b, update.a],
  ];
  return sides
    .filter(([own]) => own.agency !== update.actingAgency || update.linked)
    .map(([own, other]) => ({
      agency: own.agency,
      event: 'match.updated',
      sourceId: update.reviewId,
      payload: {
        matchId: update.matchId,
        entityType: update.entityType,
        ownCase: own.caseReference,
        otherAgency: other.agency,
        by: update.actingAgency,
        outcome: update.outcome,
        linked: update.linked,
        updatedAt: update.updatedAt.toISOString(),
      },
    }));
}

export interface MatchWithdrawnFacts {
  matchId: string;
  entityType: string;
  /** The side that remains; the erased side is not named. */
  remaining: Side;
  withdrawnAt: Date;
}

/** The owner whose match was withdrawn (the other case erased) is told that much and nothing more. */
export function matchWithdrawnNotifications(withdrawal: MatchWithdrawnFacts): NotificationDraft[] {
  return [
    {
      agency: withdrawal.remaining.agency,
      event: 'match.withdrawn',
      sourceId: withdrawal.matchId,
      payload: {
        matchId: withdrawal.matchId,
        entityType: withdrawal.entityType,
        ownCase: withdrawal.remaining.caseReference,
        withdrawnAt: withdrawal.withdrawnAt.toISOString(),
      },
    },
  ];
}

export interface CaseErasedFacts {
  caseReference: string;
  ownerAgency: string;
  participants: readonly string[];
  ground: string;
  erasedAt: Date;
}

/**
 * Every partner that took part in an erased case is told, so that it can erase its own copy (Directive (EU)
 * 2016/680 Art. 16(6)): the reference, the owner, when and on which ground. Never anything the case said.
 */
export function caseErasedNotifications(erasure: CaseErasedFacts): NotificationDraft[] {
  return [...new Set(erasure.participants)]
    .filter((agency) => agency !== erasure.ownerAgency)
    .map((agency) => ({
      agency,
      event: 'case.erased',
      sourceId: erasure.caseReference,
      payload: {
        caseReference: erasure.caseReference,
        ownerAgency: erasure.ownerAgency,
        ground: erasure.ground,
        erasedAt: erasure.erasedAt.toISOString(),
      },
    }));
}

export interface ReviewOverdueFacts {
  caseReference: string;
  ownerAgency: string;
  reviewDueAt: Date;
}

/**
 * A case past its review date is notified to its owner, once per review date (an extension makes a new one):
 * the reference and the date, nothing the case says.
 */
export function reviewOverdueNotifications(review: ReviewOverdueFacts): NotificationDraft[] {
  const due = review.reviewDueAt.toISOString();
  return [
    {
      agency: review.ownerAgency,
      event: 'case.review-overdue',
      sourceId: `${review.caseReference}@${due}`,
      payload: { caseReference: review.caseReference, reviewDueAt: due },
    },
  ];
}

export interface RoutedMessageFacts {
  messageId: string;
  caseReference: string;
  sender: string;
  recipients: readonly string[];
  type: string;
  priority: string;
  answerDeadline: Date | null;
}

/** Each recipient agency is told a message arrived: its case, sender, type, priority and deadline. */
export function messageReceivedNotifications(message: RoutedMessageFacts): NotificationDraft[] {
  return [...new Set(message.recipients)].map((recipient) => ({
    agency: recipient,
    event: 'message.received',
    sourceId: message.messageId,
    payload: {
      messageId: message.messageId,
      caseReference: message.caseReference,
      sender: message.sender,
      type: message.type,
      priority: message.priority,
      answerDeadline: message.answerDeadline?.toISOString() ?? null,
    },
  }));
}

/** Share of the time to answer after which a request is approaching its deadline. */
export const DEADLINE_WARNING_SHARE = 0.8;

/** How early an overdue check may run and still count (jobs run on their own clock). */
export const DEADLINE_CHECK_TOLERANCE_MS = 1_000;

/** When to check a request for its deadline: at 80% of the time to answer, and at the deadline. */
export function deadlineChecks(sentAt: Date, deadline: Date): { approaching: Date; overdue: Date } {
  const span = Math.max(0, deadline.getTime() - sentAt.getTime());
  return { approaching: new Date(sentAt.getTime() + Math.floor(span * DEADLINE_WARNING_SHARE)), overdue: deadline };
}

export interface OpenRequestFacts {
  messageId: string;
  caseReference: string;
  sender: string;
  /** Recipients that have not answered yet. */
  unanswered: readonly string[];
  answerDeadline: Date;
}

/**
 * Approaching: each recipient that has not answered is reminded. Overdue: those recipients, and the sender,
 * which is told who has not answered. Nothing when every recipient answered.
 */
export function deadlineNotifications(
  check: 'approaching' | 'overdue',
  request: OpenRequestFacts,
  now: Date,
): NotificationDraft[] {
  if (request.unanswered.length === 0) return [];
  if (check === 'approaching' && now >= request.answerDeadline) return [];
  // A check that runs early (a clock ahead of the job's) does not call a request overdue before its time.
  if (check === 'overdue' && now.getTime() < request.answerDeadline.getTime() - DEADLINE_CHECK_TOLERANCE_MS) return [];
  const event = check === 'approaching' ? 'deadline.approaching' : 'deadline.overdue';
  const common = {
    messageId: request.messageId,
    caseReference: request.caseReference,
    answerDeadline: request.answerDeadline.toISOString(),
  };
  const drafts: NotificationDraft[] = request.unanswered.map((recipient) => ({
    agency: recipient,
    event,
    sourceId: request.messageId,
    payload: { ...common, sender: request.sender },
  }));
  if (check === 'overdue')
    drafts.push({
      agency: request.sender,
      event,
      sourceId: request.messageId,
      payload: { ...common, unansweredBy: [...request.unanswered] },
    });
  return drafts;
}

/** The JSON a webhook carries and the API lists: the notification itself, nothing added. */
export interface NotificationDocument {
  id: string;
  event: NotificationEvent;
  agency: string;
  createdAt: string;
  data: Record<string, unknown>;
}
