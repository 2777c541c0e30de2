import { hasFreshSecondFactor } from '@liaison/domain';
import { ApplicationError, ErrorCode } from '../application/application-error';
import type { Caller } from '../auth/caller';

/**
 * Refuses an action that needs a fresh second factor (releasing a hit, deciding on an H2 permission, creating an
 * API key, changing people) to a person who has not given one in the last 15 minutes. API keys and the system
 * have no second factor to give: they are checked as today, by role.
 */
export function requireFreshSecondFactor(caller: Caller, now = Date.now()): void {
  if (caller.type !== 'person') return;
  if (!hasFreshSecondFactor(caller.secondFactorAt ?? null, now))
    throw new ApplicationError(
      ErrorCode.StepUpRequired,
      'confirm it is you: give a code from your authenticator app (a second factor in the last 15 minutes is needed for this)',
    );
}
