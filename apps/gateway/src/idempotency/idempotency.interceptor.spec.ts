import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import type { Claim, IdempotencyRepository } from './idempotency.repository';
import { Reservations } from './reservations';

/** The key table as the repository keeps it, in memory: one row per key. */
function fakeKeys() {
  const rows = new Map<string, { reserved: Record<string, string> | null; claimedAt: number; done?: unknown }>();
  const keys = {
    claim: async (_agency: string, key: string): Promise<Claim> => {
      const row = rows.get(key);
      if (!row) {
        rows.set(key, { reserved: null, claimedAt: Date.now() });
        return { kind: 'claimed', reserved: {} };
      }
      if (row.done !== undefined) return { kind: 'replay', statusCode: 202, response: row.done, location: null };
      if (row.claimedAt > 0) return { kind: 'in-progress' };
      row.claimedAt = Date.now();
      return { kind: 'claimed', reserved: row.reserved ?? {} };
    },
    reserve: async (_agency: string, key: string, reserved: Record<string, string>) => {
      rows.get(key)!.reserved = reserved;
    },
    releaseForRetry: async (_agency: string, key: string) => {
      rows.get(key)!.claimedAt = 0;
    },
    release: async (_agency: string, key: string) => void rows.delete(key),
    complete: async (_agency: string, key: string, _status: number, response: unknown) => {
      rows.get(key)!.done = response;
    },
  };
  return { keys: keys as unknown as IdempotencyRepository, rows };
}

function context(): ExecutionContext {
  const request = {
    method: 'POST',
    originalUrl: '/v1/messages',
    headers: { 'idempotency-key': 'submission-1' },
    body: { subject: 's' },
    caller: { agency: 'GB-WMP' },
  };
  const reply = { header: () => reply, status: () => reply, getHeader: () => undefined };
  return {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
    getHandler: () => () => undefined,
  } as unknown as ExecutionContext;
}

/** A submission: takes its message id, keeps it, then publishes (which `publish` says how it goes). */
function submission(publish: () => void, ids: string[]): CallHandler {
  return {
    handle: (): Observable<unknown> =>
      from(
        (async () => {
          const id = Reservations.take('messageId', () => `message-${ids.length + 1}`);
          await Reservations.keep();
          ids.push(id);
          publish();
          return { id };
        })(),
      ),
  };
}

describe('IdempotencyInterceptor', () => {
  it('retries a submission the broker left unacknowledged as the same message, at once', async () => {
    const { keys, rows } = fakeKeys();
    const interceptor = new IdempotencyInterceptor(keys, new Reflector());
    const ids: string[] = [];
    const unacknowledged = () => {
      throw new ApplicationError(ErrorCode.BrokerUnavailable, 'the broker did not acknowledge');
    };
    await expect(lastValueFrom(interceptor.intercept(context(), submission(unacknowledged, ids)))).rejects.toThrow(
      'the broker did not acknowledge',
    );
    expect(rows.get('submission-1')?.reserved).toEqual({ messageId: 'message-1' });
    await expect(
      lastValueFrom(
        interceptor.intercept(
          context(),
          submission(() => undefined, ids),
        ),
      ),
    ).resolves.toEqual({
      id: 'message-1',
    });
    expect(ids).toEqual(['message-1', 'message-1']);
  });

  it('frees the key of a request that failed otherwise: its retry is a new request', async () => {
    const { keys, rows } = fakeKeys();
    const interceptor = new IdempotencyInterceptor(keys, new Reflector());
    const ids: string[] = [];
    const refused = () => {
      throw new ApplicationError(ErrorCode.Validation, 'subject: too long');
    };
    await expect(lastValueFrom(interceptor.intercept(context(), submission(refused, ids)))).rejects.toThrow('too long');
    expect(rows.has('submission-1')).toBe(false);
    await lastValueFrom(
      interceptor.intercept(
        context(),
        submission(() => undefined, ids),
      ),
    );
    expect(ids).toEqual(['message-1', 'message-2']);
  });
});
