import { HttpException, HttpStatus } from '@nestjs/common';
import { ApplicationError, ErrorCode, type FieldError } from '../application/application-error';

/** Each error code's HTTP status and problem title. */
const TITLES: Record<ErrorCode, [HttpStatus, string]> = {
  [ErrorCode.MalformedJson]: [HttpStatus.BAD_REQUEST, 'Malformed JSON'],
  [ErrorCode.UnsupportedMediaType]: [HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'Unsupported media type'],
  [ErrorCode.NotAcceptable]: [HttpStatus.NOT_ACCEPTABLE, 'No representation in an accepted media type'],
  [ErrorCode.PayloadTooLarge]: [HttpStatus.PAYLOAD_TOO_LARGE, 'Request body too large'],
  [ErrorCode.Validation]: [HttpStatus.BAD_REQUEST, 'Invalid request'],
  [ErrorCode.Unauthenticated]: [HttpStatus.UNAUTHORIZED, 'Authentication required'],
  [ErrorCode.Forbidden]: [HttpStatus.FORBIDDEN, 'Not allowed for this role'],
  [ErrorCode.NotFound]: [HttpStatus.NOT_FOUND, 'Not found'],
  [ErrorCode.UnknownAgency]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Unknown agency'],
  [ErrorCode.InvalidRecipients]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Recipients cannot receive this message'],
  [ErrorCode.CaseNotAccessible]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Case not accessible'],
  [ErrorCode.NothingToAcknowledge]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Nothing to acknowledge'],
  [ErrorCode.InvalidJit]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Joint investigation team change not possible'],
  [ErrorCode.JitNotOpen]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Joint investigation team not open to this message'],
  [ErrorCode.NotForwardable]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Message cannot be forwarded'],
  [ErrorCode.AlreadyDecided]: [HttpStatus.CONFLICT, 'Already decided'],
  [ErrorCode.NotReviewable]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Action does not apply to this match'],
  [ErrorCode.InvalidMatchKey]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Nothing to match on'],
  [ErrorCode.NotResendable]: [HttpStatus.CONFLICT, 'Delivery cannot be sent again'],
  [ErrorCode.InvalidAttachment]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Attachment not usable'],
  [ErrorCode.InvalidImport]: [HttpStatus.UNPROCESSABLE_ENTITY, 'File of counts not importable'],
  [ErrorCode.CaseClosed]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Case closed'],
  [ErrorCode.CaseHeld]: [HttpStatus.CONFLICT, 'Case under legal hold'],
  [ErrorCode.NotAnswerable]: [HttpStatus.UNPROCESSABLE_ENTITY, 'Message cannot be answered'],
  [ErrorCode.IdempotencyConflict]: [HttpStatus.CONFLICT, 'Idempotency-Key conflict'],
  [ErrorCode.RateLimited]: [HttpStatus.TOO_MANY_REQUESTS, 'Too many requests'],
  [ErrorCode.SignInFailed]: [HttpStatus.UNAUTHORIZED, 'Sign-in failed'],
  [ErrorCode.StepUpRequired]: [HttpStatus.FORBIDDEN, 'A recent second factor is needed'],
  [ErrorCode.PersonExists]: [HttpStatus.CONFLICT, 'A person with this e-mail address exists'],
  [ErrorCode.BrokerUnavailable]: [HttpStatus.SERVICE_UNAVAILABLE, 'Message broker unavailable'],
  [ErrorCode.StoreUnavailable]: [HttpStatus.SERVICE_UNAVAILABLE, 'Temporarily unavailable'],
  [ErrorCode.Internal]: [HttpStatus.INTERNAL_SERVER_ERROR, 'Internal error'],
};

/** An error with a problem code; the global filter turns it into an `application/problem+json` response. */
export class ApiProblem extends HttpException {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** Sent as Retry-After (see sendProblem). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail, TITLES[code][0]);
  }

  get title(): string {
    return TITLES[this.code][1];
  }

  /** Field errors; 400 by default, or the status of a more specific code (422 for rules on known values). */
  static validation(errors: FieldError[], code = ErrorCode.Validation): ApiProblem {
    return new ApiProblem(code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  static field(field: string, message: string): ApiProblem {
    return ApiProblem.validation([{ field, message }]);
  }

  /** The HTTP form of an application's error: the status its code is answered with. */
  static of(error: ApplicationError): ApiProblem {
    return new ApiProblem(error.code, error.detail, error.errors, error.retryAfterSeconds);
  }
}

export function problemTitle(code: ErrorCode): string {
  return TITLES[code][1];
}
