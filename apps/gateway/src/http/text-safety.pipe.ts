import { structureProblem, textProblem } from '@liaison/domain';
import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { ApiProblem } from './problem';

/**
 * Runs before validation on every query and path parameter and on text bodies: every string (property names
 * included) held to the text rule of `@liaison/domain` and nesting bounded, so that nothing the API accepts is
 * refused by the database later. JSON bodies are held to the same rule as they are parsed (body-parsing.ts),
 * before anything walks them. A 400 names the field.
 */
@Injectable()
export class TextSafetyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom' || (metadata.type === 'body' && typeof value !== 'string')) return value;
    const issue = structureProblem(value, metadata.data ?? '');
    if (issue)
      throw ApiProblem.validation([
        { field: issue.field === '' ? metadata.type : issue.field, message: issue.message },
      ]);
    return value;
  }
}

/** A field of one line: no line breaks or tabs (every other control character is refused for every field). */
export function SingleLine(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'singleLine',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textProblem(value, 'single-line') === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${textProblem(String(args?.value), 'single-line') ?? 'must be a single line'}`,
      },
    },
    options,
  );
}
