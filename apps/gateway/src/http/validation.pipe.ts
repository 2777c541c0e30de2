import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '../application/application-error';
import { ApiProblem } from './problem';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator for every body and query: unknown properties are refused, types are not coerced
 * (a number where a string belongs is an error, not a conversion), and every problem names its field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ApiProblem.validation(flatten(errors)),
  });
}

/**
 * A plain object checked as the API's pipe would check it (the same options), for callers that hold the
 * request themselves (the console builds its requests from forms): the instance, or every problem by field.
 */
export async function validatedAs<T extends object>(
  type: new () => T,
  plain: Record<string, unknown>,
): Promise<{ value: T; errors: FieldError[] }> {
  const value = plainToInstance(type, plain, { enableImplicitConversion: false });
  const errors = await validate(value, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return { value, errors: flatten(errors) };
}
