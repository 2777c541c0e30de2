/**
 * The codes every message carries (see DOMAIN.md): what kind of message it is, how fast it must be
 * answered, the conditions the provider attaches (handling codes) and how reliable it is (evaluation).
 */

export const MESSAGE_TYPES = ['request', 'reply', 'information', 'cross-check'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Requests and cross-checks expect an answer from every recipient; replies and information do not. */
export function expectsAnswer(type: MessageType): boolean {
  return type === 'request' || type === 'cross-check';
}

export const PRIORITIES = ['urgent-direct', 'urgent', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Time allowed to answer, from Directive (EU) 2023/977 Art. 5: urgent requests for directly accessible data
 * 8 hours, urgent requests for indirectly accessible data 3 calendar days, all others 7 calendar days.
 */
export const ANSWER_TIME_MS: Record<Priority, number> = {
  'urgent-direct': 8 * HOUR,
  urgent: 3 * DAY,
  normal: 7 * DAY,
};

/** When each recipient's answer is due, or null for messages that expect no answer. */
export function responseDeadlineFor(type: MessageType, priority: Priority, sentAt: Date): Date | null {
  return expectsAnswer(type) ? new Date(sentAt.getTime() + ANSWER_TIME_MS[priority]) : null;
}

/**
 * Handling codes, set by the provider and binding on every receiver:
 * H0 use only to prevent and combat crime; H1 not for judicial proceedings without the provider's permission;
 * H2 not to be passed on without the provider's permission; H3 other restrictions, stated in free text.
 */
export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

/** UK handling code (College of Policing 3x5x2): P lawful sharing permitted, C permitted with conditions. */
export const UK_HANDLING_CODES = ['P', 'C'] as const;
export type UkHandlingCode = (typeof UK_HANDLING_CODES)[number];

export interface Handling {
  code: HandlingCode;
  /** Required with H3, refused with the others: the restriction the receiver must honour. */
  restriction?: string;
  uk?: UkHandlingCode;
}

export const H1_MARKING = 'Not for use in judicial proceedings without the provider’s permission (H1)';

export function handlingProblem(handling: Handling): string | null {
  const restriction = handling.restriction?.trim() ?? '';
  if (handling.code === 'H3' && restriction === '') return 'restriction: H3 requires the restriction text';
  if (handling.code !== 'H3' && handling.restriction !== undefined)
    return `restriction: only H3 carries a restriction text, not ${handling.code}`;
  return null;
}

/** Europol 4x4: source reliability A/B/C/X and information accuracy 1-4. */
export const SOURCE_RELIABILITY = ['A', 'B', 'C', 'X'] as const;
export const INFORMATION_ACCURACY = ['1', '2', '3', '4'] as const;
/** UK 3x5x2: source 1-3, intelligence A-E, handling P/C. */
export const UK_SOURCE = ['1', '2', '3'] as const;
export const UK_INTELLIGENCE = ['A', 'B', 'C', 'D', 'E'] as const;

export type Evaluation =
  | { scheme: '4x4'; source: (typeof SOURCE_RELIABILITY)[number]; information: (typeof INFORMATION_ACCURACY)[number] }
  | {
      scheme: '3x5x2';
      source: (typeof UK_SOURCE)[number];
      intelligence: (typeof UK_INTELLIGENCE)[number];
      handling: UkHandlingCode;
    };

/** The evaluation as analysts write it, carried exactly as given: `B2`, or `1/B/P` for the UK grading. */
export function evaluationLabel(evaluation: Evaluation): string {
  return evaluation.scheme === '4x4'
    ? `${evaluation.source}${evaluation.information}`
    : `${evaluation.source}/${evaluation.intelligence}/${evaluation.handling}`;
}

export function evaluationProblem(evaluation: {
  scheme?: unknown;
  source?: unknown;
  information?: unknown;
  intelligence?: unknown;
  handling?: unknown;
}): string | null {
  const within = (values: readonly string[], value: unknown) => typeof value === 'string' && values.includes(value);
  if (evaluation.scheme === '4x4') {
    if (!within(SOURCE_RELIABILITY, evaluation.source))
      return `source: 4x4 source reliability is one of ${SOURCE_RELIABILITY.join(', ')}`;
    if (!within(INFORMATION_ACCURACY, evaluation.information))
      return `information: 4x4 information accuracy is one of ${INFORMATION_ACCURACY.join(', ')}`;
    if (evaluation.intelligence !== undefined || evaluation.handling !== undefined)
      return 'a 4x4 evaluation has only source and information';
    return null;
  }
  if (evaluation.scheme === '3x5x2') {
    if (!within(UK_SOURCE, evaluation.source)) return `source: 3x5x2 source is one of ${UK_SOURCE.join(', ')}`;
    if (!within(UK_INTELLIGENCE, evaluation.intelligence))
      return `intelligence: 3x5x2 intelligence is one of ${UK_INTELLIGENCE.join(', ')}`;
    if (!within(UK_HANDLING_CODES, evaluation.handling))
      return `handling: 3x5x2 handling is one of ${UK_HANDLING_CODES.join(', ')}`;
    if (evaluation.information !== undefined) return 'a 3x5x2 evaluation has source, intelligence and handling';
    return null;
  }
  return 'scheme: must be 4x4 or 3x5x2';
}
