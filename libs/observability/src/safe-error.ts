/**
 * How errors are written to logs. A database error carries the statement and its parameters (TypeORM's
 * QueryFailedError copies them onto itself), and PostgreSQL's own texts quote the offending value
 * (`invalid input syntax for type uuid: "..."`, `Key (key)=(phone:+40...) already exists`): logged whole, they
 * put message bodies, entities and match keys into the log. So every error is reduced to what diagnoses it
 * without its data: its class, its codes, the schema objects it names, and its message and stack with every
 * quoted value replaced.
 */

/**
 * The only properties of an error kept (when they are short scalars): codes and the names of the schema objects
 * involved. The statement, its parameters, the driver's copy and PostgreSQL's detail never are.
 */
const KEPT_PROPERTIES = [
  'code',
  'errno',
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'constraint',
  'dataType',
  'type',
  'retriable',
  'statusCode',
  'syscall',
];

const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()]|\([^()]*\))*\)=\((?:[^()]|\([^()]*\))*\)/g;

/**
 * A message with every quoted text and PostgreSQL's `(column)=(value)` pairs replaced. Names of tables and
 * constraints go too (a quoted word cannot be told from a surname); they are kept as properties instead.
 */
export function redactMessage(message: string): string {
  return message.replace(QUOTED, (quoted) => (quoted.startsWith('(') ? '(…)=([redacted])' : '[redacted]'));
}

/** Top-level keys of a log object that only ever carry a statement or its data. */
const DROPPED_KEYS = new Set(['query', 'parameters', 'driverError']);

export interface SafeError {
  type: string;
  message: string;
  stack?: string;
  cause?: SafeError | string;
  [property: string]: unknown;
}

export function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as Error).message === 'string' &&
      typeof (value as Error).stack === 'string')
  );
}

/** The loggable form of any thrown value; nothing but codes, names and redacted texts survive. */
export function safeError(error: unknown, depth = 0): SafeError | string {
  if (!isErrorLike(error))
    return typeof error === 'string' ? redactMessage(error) : `non-error thrown (${typeof error})`;
  const message = redactMessage(error.message);
  const type =
    error.constructor?.name && error.constructor.name !== 'Object' ? error.constructor.name : (error.name ?? 'Error');
  const safe: SafeError = { type, message };
  if (error.stack) {
    // The stack's first lines repeat the message; the frames below them are code locations only.
    const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line));
    safe.stack = [`${type}: ${message}`, ...frames].join('\n');
  }
  const properties = error as unknown as Record<string, unknown>;
  for (const name of KEPT_PROPERTIES) {
    const value = properties[name];
    if ((typeof value === 'string' && value.length <= 100) || typeof value === 'number' || typeof value === 'boolean')
      safe[name] = typeof value === 'string' ? redactMessage(value) : value;
  }
  const driverCode = (properties.driverError as { code?: unknown } | undefined)?.code;
  if (safe.code === undefined && typeof driverCode === 'string' && driverCode.length <= 10) safe.code = driverCode;
  if (depth < 3 && properties.cause !== undefined) safe.cause = safeError(properties.cause, depth + 1);
  return safe;
}

/**
 * pino's `formatters.log`: every error anywhere at the top of a log object (under `err` or any other key, or
 * in a list of errors) leaves in its safe form; a statement or its parameters passed by mistake are dropped.
 */
export function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    let replacement: unknown = value;
    if (isErrorLike(value)) replacement = markSafe(safeError(value));
    else if (Array.isArray(value) && value.some(isErrorLike))
      replacement = (value as unknown[]).map((item) => (isErrorLike(item) ? markSafe(safeError(item)) : item));
    else if (DROPPED_KEYS.has(key)) {
      copy ??= { ...object };
      delete copy[key];
      continue;
    }
    if (replacement !== value) {
      copy ??= { ...object };
      copy[key] = replacement;
    }
  }
  return copy ?? object;
}

/** pino's serializer for `err`: the safe form (an `err` already made safe by redactLogObject passes as it is). */
export function serializeError(value: unknown): unknown {
  return isErrorLike(value) && !(value as { [SAFE]?: true })[SAFE] ? markSafe(safeError(value)) : value;
}

const SAFE = Symbol('safe-error');

function markSafe<T>(value: T): T {
  if (typeof value === 'object' && value !== null)
    Object.defineProperty(value, SAFE, { value: true, enumerable: false });
  return value;
}

/**
 * pino's `hooks.logMethod`: `logger.error(error)` would take the error's own message as the line's text;
 * it takes the redacted message instead.
 */
export function redactErrorOnlyCall(this: unknown, args: unknown[], method: (...args: unknown[]) => void): void {
  const [first, second, ...rest] = args;
  if (isErrorLike(first) && typeof second !== 'string')
    method.apply(this, [
      { err: first },
      redactMessage(first.message),
      ...(second === undefined ? [] : [second]),
      ...rest,
    ]);
  else method.apply(this, args);
}
