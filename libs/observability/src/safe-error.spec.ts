import pino from 'pino';
import { redactErrorOnlyCall, redactLogObject, redactMessage, safeError, serializeError } from './safe-error';

const CANARY = 'Ion CANARY-7731 Popescu';

/** Built as TypeORM builds its QueryFailedError: the driver's error with the statement and parameters copied on. */
function queryFailedError(): Error {
  class QueryFailedError extends Error {}
  const driverError = Object.assign(new Error(`invalid input syntax for type uuid: "${CANARY}"`), {
    code: '22P02',
    detail: `Key (subject)=(${CANARY}) already exists`,
    where: `unnamed portal parameter $1 = '${CANARY}'`,
  });
  return Object.assign(new QueryFailedError(driverError.message), {
    query: 'INSERT INTO messages (subject) VALUES ($1)',
    parameters: [CANARY, { names: [CANARY] }],
    driverError,
    code: '22P02',
    detail: driverError.detail,
    where: driverError.where,
    table: 'messages',
    constraint: 'messages_pkey',
    routine: 'string_to_uuid',
  });
}

function capturing(): { logger: pino.Logger; text: () => string } {
  const lines: string[] = [];
  const logger = pino(
    {
      formatters: { log: redactLogObject },
      serializers: { err: serializeError },
      hooks: { logMethod: redactErrorOnlyCall },
    },
    { write: (line: string) => void lines.push(line) },
  );
  return { logger, text: () => lines.join('') };
}

describe('redactMessage', () => {
  it.each([
    [`invalid input syntax for type uuid: "${CANARY}"`, 'invalid input syntax for type uuid: [redacted]'],
    [`Key (key)=(phone:+40721234567) already exists`, 'Key (…)=([redacted]) already exists'],
    [`value '${CANARY}' is wrong`, 'value [redacted] is wrong'],
    ['invalid byte sequence for encoding "UTF8": 0x00', 'invalid byte sequence for encoding [redacted]: 0x00'],
    ['Connection terminated unexpectedly', 'Connection terminated unexpectedly'],
  ])('%s', (message, expected) => {
    expect(redactMessage(message)).toBe(expected);
  });
});

describe('safeError', () => {
  it('keeps the class, codes and schema names of a database error, and none of its data', () => {
    const safe = safeError(queryFailedError());
    expect(safe).toMatchObject({
      type: 'QueryFailedError',
      code: '22P02',
      table: 'messages',
      constraint: 'messages_pkey',
      routine: 'string_to_uuid',
    });
    expect(JSON.stringify(safe)).not.toContain('CANARY');
    expect(JSON.stringify(safe)).not.toContain('INSERT');
    expect((safe as { stack: string }).stack).toMatch(
      /^QueryFailedError: invalid input syntax for type uuid: \[redacted\]\n\s+at /,
    );
  });

  it('follows causes, and turns thrown non-errors into a description', () => {
    const outer = new Error('routing failed', { cause: queryFailedError() });
    expect(safeError(outer)).toMatchObject({
      type: 'Error',
      message: 'routing failed',
      cause: { type: 'QueryFailedError', code: '22P02' },
    });
    expect(JSON.stringify(safeError(outer))).not.toContain('CANARY');
    expect(safeError({ subject: CANARY })).toBe('non-error thrown (object)');
  });
});

describe('the logger', () => {
  it('writes no data of an error logged under err, under another key, or in a list', () => {
    const { logger, text } = capturing();
    logger.error({ err: queryFailedError() }, 'insert failed');
    logger.warn({ error: queryFailedError(), failures: [queryFailedError()] }, 'insert failed');
    logger.error(queryFailedError());
    logger.info({ query: 'SELECT 1', parameters: [CANARY] }, 'statement');
    expect(text()).toContain('22P02');
    expect(text()).toContain('"type":"QueryFailedError"');
    expect(text()).not.toContain('CANARY');
    expect(text()).not.toContain('SELECT 1');
  });
});
