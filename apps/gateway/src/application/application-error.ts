/**
 * Every kind of error a use case can end in. The HTTP layer answers each with a status and a problem type
 * (`urn:liaison:problem:<code>`); a use case called in-process (a console, a worker) reads the code.
 */
export enum ErrorCode {
  MalformedJson = 'malformed-json',
  UnsupportedMediaType = 'unsupported-media-type',
  NotAcceptable = 'not-acceptable',
  PayloadTooLarge = 'payload-too-large',
  Validation = 'validation',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not-found',
  UnknownAgency = 'unknown-agency',
  InvalidRecipients = 'invalid-recipients',
  CaseNotAccessible = 'case-not-accessible',
  NotAnswerable = 'not-answerable',
  CaseClosed = 'case-closed',
  CaseHeld = 'case-held',
  NothingToAcknowledge = 'nothing-to-acknowledge',
  InvalidJit = 'invalid-jit',
  JitNotOpen = 'jit-not-open',
  NotForwardable = 'not-forwardable',
  AlreadyDecided = 'already-decided',
  NotReviewable = 'not-reviewable',
  InvalidMatchKey = 'invalid-match-key',
  NotResendable = 'not-resendable',
  InvalidAttachment = 'invalid-attachment',
  InvalidImport = 'invalid-import',
  IdempotencyConflict = 'idempotency-conflict',
  RateLimited = 'rate-limited',
  SignInFailed = 'sign-in-failed',
  StepUpRequired = 'step-up-required',
  PersonExists = 'person-exists',
  BrokerUnavailable = 'broker-unavailable',
  StoreUnavailable = 'store-unavailable',
  Internal = 'internal',
}

export interface FieldError {
  field: string;
  message: string;
}

/**
 * How a use case refuses: a code, a sentence naming what is wrong, and the fields at fault. It knows no
 * transport; the problem filter turns it into an HTTP problem response.
 */
export class ApplicationError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** When the refusal is temporary: seconds after which trying again may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'ApplicationError';
  }

  /** Field errors, `validation` unless a more specific code applies. */
  static validation(errors: FieldError[], code = ErrorCode.Validation): ApplicationError {
    return new ApplicationError(code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  static field(field: string, message: string): ApplicationError {
    return ApplicationError.validation([{ field, message }]);
  }
}
