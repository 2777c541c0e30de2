import { ParseUUIDPipe } from '@nestjs/common';
import { ApiProblem } from './problem';

/** A path parameter that must be a UUID; anything else is a 400 naming the parameter and what it identifies. */
export function uuidParam(field: string, what = 'a UUID'): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => ApiProblem.field(field, `must be ${what}`) });
}
