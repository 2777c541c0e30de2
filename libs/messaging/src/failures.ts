/**
 * Why a consumer could not apply a record, as far as retrying it is concerned. A transient failure (the
 * database or broker unreachable, a deadlock, a timeout) may pass, so the record is tried again with backoff;
 * a permanent one (a constraint, a value the database refuses, a record that cannot be decoded, a bug) fails
 * the same way every time, so the record is dead-lettered at once and its partition moves on.
 */
export type FailureKind = 'transient' | 'permanent';

/**
 * Thrown by a handler for a record it can never apply (an id that is not one, say): dead-lettered at once,
 * named by `code` in the dead letter.
 */
export class UnprocessableEventError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnprocessableEventError';
  }
}

/** SQLSTATE classes that describe the moment, not the record (PostgreSQL, Appendix A). */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '40', '53', '57', '58']);
const TRANSIENT_SQLSTATES = new Set(['55P03', '55006']);
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);
const TRANSIENT_TYPEORM_ERRORS = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
  'TransactionNotStartedError',
]);

/**
 * What node-postgres and TypeORM say when a connection is lost or none can be had in time, and ioredis when
 * Redis does not answer within its retries.
 */
const TRANSIENT_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection is not queryable|not connected|connection (?:is )?closed|socket hang up|terminating connection|max retries per request|stream isn't writeable/i;

function codeOf(error: object): string | undefined {
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  if (typeof code === 'string') return code;
  return typeof driverError?.code === 'string' ? driverError.code : undefined;
}

export function classifyFailure(error: unknown): FailureKind {
  if (!(error instanceof Error)) return 'permanent';
  if (error instanceof UnprocessableEventError) return 'permanent';
  // kafkajs: the broker unreachable, a leader moving, a request timing out; never about the record's content.
  if (error.name.startsWith('KafkaJS')) return 'transient';
  // TypeORM, when the connection under a transaction was lost (the database restarting) and the transaction
  // cannot go on or be rolled back on it.
  if (TRANSIENT_TYPEORM_ERRORS.has(error.name)) return 'transient';
  const code = codeOf(error);
  if (code !== undefined) {
    if (/^[0-9A-Z]{5}$/.test(code))
      return TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2)) || TRANSIENT_SQLSTATES.has(code)
        ? 'transient'
        : 'permanent';
    if (TRANSIENT_SYSTEM_CODES.has(code)) return 'transient';
  }
  if (TRANSIENT_MESSAGES.test(error.message)) return 'transient';
  if (error.cause !== undefined) return classifyFailure(error.cause);
  return 'permanent';
}

const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'connection exception',
  '22': 'data exception',
  '23': 'integrity constraint violation',
  '25': 'invalid transaction state',
  '40': 'transaction rollback',
  '42': 'syntax error or access rule violation',
  '53': 'insufficient resources',
  '54': 'program limit exceeded',
  '55': 'object not in prerequisite state',
  '57': 'operator intervention',
  '58': 'system error',
  XX: 'internal error',
};

/**
 * A short description of a failure that names no data: the error's class and code, never its message (a
 * database's message can quote the value it refused). This is what a dead letter and the sender are told.
 */
export function failureCode(error: unknown): string {
  if (!(error instanceof Error)) return 'non-error thrown';
  if (error instanceof UnprocessableEventError) return error.code;
  const code = codeOf(error);
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code))
    return `SQLSTATE ${code}${SQLSTATE_CLASSES[code.slice(0, 2)] ? ` (${SQLSTATE_CLASSES[code.slice(0, 2)]})` : ''}`;
  if (code !== undefined && /^[A-Z_]{2,40}$/.test(code)) return `${error.name} ${code}`;
  return error.name === 'Error' ? (error.constructor?.name ?? 'Error') : error.name;
}
