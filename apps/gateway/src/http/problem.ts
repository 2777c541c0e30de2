import { HttpException, HttpStatus } from '@nestjs/common';

/** Every kind of error the API answers with; `type` in a problem response is `urn:liaison:problem:<code>`. */
export enum ProblemCode {
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
  BrokerUnavailable = 'broker-unavailable',
  Internal = 'internal',
}

export interface FieldError {
  field: string;
  message: string;
}

const TITLES: Record<ProblemCode, [HttpStatus, string]> = {
  [ProblemCode.MalformedJson]: [HttpStatus.BAD_REQUEST, 'Malformed JSON'],
  [ProblemCode.UnsupportedMediaType]: [HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'Unsupported media type'],
  [ProblemCode.NotAcceptable]: [HttpStatus.NOT_ACCEPTABLE, 'No representation in an accepted media type'],
  [ProblemCode.PayloadTooLarge]: [HttpStatus.PAYLOAD_TOO_LARGE, 'Request body too large'],
  [ProblemCode.Validation]: [HttpStatus.BAD_REQUEST, 'Invalid request'],
  [ProblemCode.Unauthenticated]: [HttpStatus.UNAUTHORIZED, 'Authentication required'],
  [ProblemCode.Forbidden]: [HttpStatus.FORBIDDEN, 'Not allowed for this role'],
  [ProblemCode.NotFound]: [HttpStatus.NOT_FOUND, 'Not found'],
  [ProblemCode.UnknownAgency]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Unknown agency'],
  [ProblemCode.InvalidRecipients]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Recipients cannot receive this message'],
  [ProblemCode.CaseNotAccessible]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Case not accessible'],
  [ProblemCode.NothingToAcknowledge]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Nothing to acknowledge'],
  [ProblemCode.InvalidJit]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Joint investigation team change not possible'],
  [ProblemCode.JitNotOpen]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Joint investigation team not open to this message'],
  [ProblemCode.NotForwardable]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Message cannot be forwarded'],
  [ProblemCode.AlreadyDecided]: [HttpStatus.CONFLICT, 'Already decided'],
  [ProblemCode.NotReviewable]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Action does not apply to this match'],
  [ProblemCode.InvalidMatchKey]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Nothing to match on'],
  [ProblemCode.NotResendable]: [HttpStatus.CONFLICT, 'Delivery cannot be sent again'],
  [ProblemCode.InvalidAttachment]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Attachment not usable'],
  [ProblemCode.InvalidImport]: [HttpStatus.UNPROCESSABLE_ENTITY, 'File of counts not importable'],
  [ProblemCode.CaseClosed]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Case closed'],
  [ProblemCode.NotAnswerable]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Message cannot be answered'],
  [ProblemCode.IdempotencyConflict]: [HttpStatus.CONFLICT, 'Idempotency-Key conflict'],
  [ProblemCode.RateLimited]: [HttpStatus.TOO_MANY_REQUESTS, 'Too many requests'],
  [ProblemCode.BrokerUnavailable]: [HttpStatus.SERVICE_UNAVAILABLE, 'Message broker unavailable'],
  [ProblemCode.Internal]: [HttpStatus.INTERNAL_SERVER_ERROR, 'Internal error'],
};

/** An error with a problem code; the global filter turns it into an `application/problem+json` response. */
export class ApiProblem extends HttpException {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail, TITLES[code][0]);
  }

  get title(): string {
    return TITLES[this.code][1];
  }

  /** Field errors; 400 by default, or the status of a more specific code (422 for rules on known values). */
  static validation(errors: FieldError[], code = ProblemCode.Validation): ApiProblem {
    return new ApiProblem(code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  static field(field: string, message: string): ApiProblem {
    return ApiProblem.validation([{ field, message }]);
  }
}

export function problemTitle(code: ProblemCode): string {
  return TITLES[code][1];
}
