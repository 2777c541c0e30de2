/**
 * What text Liaison stores. PostgreSQL refuses U+0000 in `text` and `jsonb` (22021), and no partner system has
 * a use for the other control characters, so every string at every edge (HTTP, Kafka) is held to this rule
 * before anything is accepted: a value the edge takes is a value the database takes.
 *
 * - every C0 control (U+0000-U+001F), DEL (U+007F) and every C1 control (U+0080-U+009F) is refused, except
 *   tab, line feed and carriage return in fields that allow line breaks (a body, a restriction, a reason);
 * - text must be well-formed UTF-16 (no lone surrogate), since UTF-8 cannot carry one and the drivers would
 *   silently replace it with U+FFFD.
 */

// Matching control characters is the point of these two.
// eslint-disable-next-line no-control-regex
const MULTILINE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F]/;

export type TextKind = 'single-line' | 'multiline';

function describe(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `value` cannot be stored as text of this kind, or null when it can. */
export function textProblem(value: string, kind: TextKind = 'multiline'): string | null {
  const forbidden = (kind === 'multiline' ? MULTILINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).exec(value);
  if (forbidden) {
    const allowed =
      kind === 'multiline'
        ? ' (only tab, line feed and carriage return are allowed)'
        : ' (this field is a single line)';
    return `must not contain the control character ${describe(forbidden[0])} at position ${forbidden.index}${allowed}`;
  }
  if (!value.isWellFormed()) return 'must be well-formed Unicode (it contains a lone surrogate)';
  return null;
}

export interface TextIssue {
  /** Dotted path to the value, as the API names fields: `entities.0.names.1`. */
  field: string;
  message: string;
}

/** Nesting deeper than this is refused before anything walks the value recursively. */
export const MAX_NESTING_DEPTH = 32;

/**
 * Every string in a parsed JSON value (property names too) held to the multiline rule, and the nesting held
 * to MAX_NESTING_DEPTH; the first problem found is returned. The walk is iterative, so a value nested
 * thousands deep is refused rather than overflowing the stack.
 */
export function structureProblem(value: unknown, root: string): TextIssue | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field: path, message: problem };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_NESTING_DEPTH) return { field: path, message: `nests deeper than ${MAX_NESTING_DEPTH} levels` };
    const entries: [string, unknown][] = Array.isArray(current)
      ? current.map((item, index) => [String(index), item])
      : Object.entries(current);
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, item] = entries[index];
      const keyProblem = textProblem(key, 'single-line');
      const itemPath = path === '' ? key : `${path}.${key}`;
      if (keyProblem) return { field: itemPath, message: `has a property name that ${keyProblem}` };
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return null;
}

export interface TextField {
  field: string;
  value: string;
  kind: TextKind;
}

/** The first of these fields whose text cannot be stored, or null. */
export function firstTextProblem(fields: Iterable<TextField>): TextIssue | null {
  for (const { field, value, kind } of fields) {
    const problem = textProblem(value, kind);
    if (problem) return { field, message: problem };
  }
  return null;
}

const ANY_FORBIDDEN = new RegExp(SINGLE_LINE_FORBIDDEN.source, 'g');

/**
 * A value that cannot be stored made into one that can, for the record of a refusal: every control character
 * and lone surrogate becomes U+FFFD, so the refusal names what was sent without storing what was refused.
 */
export function printable(value: string): string {
  return value.replace(ANY_FORBIDDEN, '\uFFFD').toWellFormed();
}
