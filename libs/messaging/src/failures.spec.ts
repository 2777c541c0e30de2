import { classifyFailure, failureCode, UnprocessableEventError } from './failures';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it.each([
    ['a refused value (22021)', withCode('22021')],
    ['a unique violation (23505)', withCode('23505')],
    ['a check violation (23514)', withCode('23514')],
    ['an invalid uuid (22P02)', withCode('22P02')],
    ['an unknown column (42703)', withCode('42703')],
    ['a record the handler cannot apply', new UnprocessableEventError('INVALID_ID', 'message id is not a UUID')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'code')")],
    ['a thrown non-error', 'boom'],
  ])('%s is permanent', (_what, error) => {
    expect(classifyFailure(error)).toBe('permanent');
  });

  it.each([
    ['a deadlock (40P01)', withCode('40P01')],
    ['a serialization failure (40001)', withCode('40001')],
    ['a statement timeout (57014)', withCode('57014')],
    ['an administrator shutdown (57P01)', withCode('57P01')],
    ['too many connections (53300)', withCode('53300')],
    ['a lock not available (55P03)', withCode('55P03')],
    ['a lost connection (08006)', withCode('08006')],
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a connection terminated', new Error('Connection terminated unexpectedly')],
    [
      'a broker error',
      Object.assign(new Error('There is no leader for this topic-partition'), { name: 'KafkaJSProtocolError' }),
    ],
    ['a transient cause', new Error('publish failed', { cause: withCode('ECONNRESET') })],
    [
      'a transaction whose connection was lost (TypeORM)',
      Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), {
        name: 'QueryRunnerAlreadyReleasedError',
      }),
    ],
    [
      'an entity manager whose connection was lost (TypeORM)',
      Object.assign(new Error('Entity manager cannot be used anymore'), {
        name: 'QueryRunnerProviderAlreadyReleasedError',
      }),
    ],
    [
      'Redis not answering within its retries',
      Object.assign(
        new Error('Reached the max retries per request limit (which is 2). Refer to "maxRetriesPerRequest"'),
        {
          name: 'MaxRetriesPerRequestError',
        },
      ),
    ],
  ])('%s is transient', (_what, error) => {
    expect(classifyFailure(error)).toBe('transient');
  });
});

describe('failureCode', () => {
  it('names the class and code, never the message', () => {
    expect(failureCode(withCode('22P02', 'invalid input syntax for type uuid: "Ion Popescu"'))).toBe(
      'SQLSTATE 22P02 (data exception)',
    );
    expect(failureCode(withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'))).toBe('Error ECONNREFUSED');
    expect(failureCode(new UnprocessableEventError('INVALID_ID', 'no'))).toBe('INVALID_ID');
    expect(failureCode(new TypeError('x of Ion Popescu'))).toBe('TypeError');
    expect(failureCode('Ion Popescu')).toBe('non-error thrown');
  });
});
