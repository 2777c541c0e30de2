/** Failed sign-ins in a row after which an account is locked (OWASP ASVS 2.2.1). */
export const MAX_FAILED_SIGN_INS = 5;
/** How long a locked account stays locked. */
export const LOCKOUT_MS = 15 * 60_000;

/** An account's count of failed sign-ins in a row and, once locked, until when. */
export interface SignInFailures {
  failures: number;
  lockedUntil: Date | null;
}

export function isLocked(state: SignInFailures, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/**
 * The state after one more failure: the fifth in a row locks the account for LOCKOUT_MS; the count starts again
 * when a lock has run out, so one failure after a lock does not lock again at once.
 */
export function afterFailedSignIn(state: SignInFailures, now: Date): SignInFailures & { lockedNow: boolean } {
  const expired = state.lockedUntil !== null && !isLocked(state, now);
  const failures = (expired ? 0 : state.failures) + 1;
  if (failures >= MAX_FAILED_SIGN_INS)
    return { failures, lockedUntil: new Date(now.getTime() + LOCKOUT_MS), lockedNow: true };
  return { failures, lockedUntil: expired ? null : state.lockedUntil, lockedNow: false };
}
