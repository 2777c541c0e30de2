import { STEP_UP_WINDOW_MS } from '@liaison/domain';
import { ApplicationError, ErrorCode } from '../application/application-error';
import type { Caller } from '../auth/caller';
import { requireFreshSecondFactor } from './step-up';

describe('requireFreshSecondFactor', () => {
  const now = Date.UTC(2026, 11, 5, 12);
  const person = (secondFactorAt: number | null): Caller => ({
    type: 'person',
    id: 'aaaaaaaa-0000-4000-8000-000000000001',
    agency: 'GB-WMP',
    role: 'supervisor',
    secondFactorAt,
  });

  it('lets a person through within 15 minutes of their last second factor', () => {
    expect(() => requireFreshSecondFactor(person(now - STEP_UP_WINDOW_MS + 1_000), now)).not.toThrow();
  });

  it('refuses a person whose second factor is older, or who has given none, with a code the console can act on', () => {
    for (const at of [now - STEP_UP_WINDOW_MS, null]) {
      let error: unknown;
      try {
        requireFreshSecondFactor(person(at), now);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ApplicationError);
      expect((error as ApplicationError).code).toBe(ErrorCode.StepUpRequired);
    }
  });

  it('asks nothing of API keys and the system, which have no second factor to give', () => {
    expect(() =>
      requireFreshSecondFactor({ type: 'api-key', id: 'k', agency: 'GB-WMP', role: 'admin' }, now),
    ).not.toThrow();
    expect(() =>
      requireFreshSecondFactor({ type: 'system', id: 'provisioning', agency: 'GB-NCA', role: 'admin' }, now),
    ).not.toThrow();
  });
});
