import {
  ANSWER_TIME_MS,
  type CaseStatus,
  type DeliveryState,
  type ErasureGround,
  type HandlingCode,
  type MessageType,
  type Priority,
  type Role,
} from '@liaison/domain';

/** The console's words for the codes Liaison carries: every code is shown with what it means. */
export const ROLE_NAMES: Record<Role, string> = {
  officer: 'Officer',
  supervisor: 'Supervisor',
  'programme-lead': 'Programme lead',
  admin: 'Administrator',
  'data-protection-officer': 'Data protection officer',
};

export const HANDLING_WORDS: Record<HandlingCode, string> = {
  H0: 'H0: use only to prevent and combat crime',
  H1: 'H1: not for judicial proceedings without the provider’s permission',
  H2: 'H2: not to be passed on without the provider’s permission',
  H3: 'H3: other restrictions, stated by the provider',
};

const hours = (ms: number) => ms / 3_600_000;
const answerTime = (priority: Priority) => {
  const h = hours(ANSWER_TIME_MS[priority]);
  return h < 24 ? `${h} hours` : `${h / 24} days`;
};

export const PRIORITY_WORDS: Record<Priority, string> = {
  'urgent-direct': `Urgent, directly accessible data (answer within ${answerTime('urgent-direct')})`,
  urgent: `Urgent (answer within ${answerTime('urgent')})`,
  normal: `Normal (answer within ${answerTime('normal')})`,
};

export const PRIORITY_SHORT: Record<Priority, string> = {
  'urgent-direct': 'Urgent (8 hours)',
  urgent: 'Urgent',
  normal: 'Normal',
};

export const TYPE_WORDS: Record<MessageType, string> = {
  request: 'Request',
  reply: 'Reply',
  information: 'Information',
  'cross-check': 'Cross-check',
};

export const DELIVERY_WORDS: Record<DeliveryState, string> = {
  delivered: 'Not opened',
  read: 'Opened',
  answered: 'Answered',
};

export const CASE_STATUS_WORDS: Record<CaseStatus, string> = { open: 'Open', closed: 'Closed' };

/** "Due in 2 days", "due in 5 hours", "overdue by 3 days": a deadline in words, from `now`. */
export function dueInWords(deadline: Date, now = new Date()): string {
  const ms = deadline.getTime() - now.getTime();
  const span = Math.abs(ms);
  const amount =
    span >= 86_400_000
      ? plural(Math.floor(span / 86_400_000), 'day')
      : span >= 3_600_000
        ? plural(Math.floor(span / 3_600_000), 'hour')
        : plural(Math.max(1, Math.floor(span / 60_000)), 'minute');
  return ms >= 0 ? `due in ${amount}` : `overdue by ${amount}`;
}

export function plural(count: number, noun: string): string {
  const suffix = count === 1 ? '' : /(ch|sh|s|x)$/.test(noun) ? 'es' : 's';
  return `${count.toLocaleString('en-GB')} ${noun}${suffix}`;
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** "5 Dec 2026, 14:03 UTC": every time in the console is in UTC, said so, since its people work across borders. */
export function dateTimeWords(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  return `${DATE_TIME.format(date)} UTC`;
}

/** The grounds an erasure follows, in words. */
export const ERASURE_GROUND_WORDS: Record<ErasureGround, string> = {
  'no-longer-needed': 'No longer needed for the purpose it was collected for',
  'unlawfully-processed': 'Processed unlawfully',
  'data-subject-request': 'The person it is about asked, and the request is upheld',
  ordered: 'A court or supervisory authority ordered it',
};
