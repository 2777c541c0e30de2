/** When sessions end: idle and absolute limits (OWASP ASVS 3.3), both configurable per deployment. */
export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 15 * 60_000, absoluteMs: 12 * 3_600_000 };

/** How recent a second factor must be for an action that needs one (releasing a hit, creating a key...). */
export const STEP_UP_WINDOW_MS = 15 * 60_000;

export interface SessionTimes {
  createdAt: number;
  lastSeenAt: number;
}

export type SessionEnd = 'idle' | 'absolute';

/** Why a session is over at `now`, or null while it is alive. */
export function sessionEnded(session: SessionTimes, now: number, limits: SessionLimits): SessionEnd | null {
  if (now >= session.createdAt + limits.absoluteMs) return 'absolute';
  if (now >= session.lastSeenAt + limits.idleMs) return 'idle';
  return null;
}

/** Milliseconds until the session ends if nothing more happens: what the store keeps it for. */
export function sessionRemainingMs(session: SessionTimes, now: number, limits: SessionLimits): number {
  return Math.max(0, Math.min(session.lastSeenAt + limits.idleMs, session.createdAt + limits.absoluteMs) - now);
}

/** Whether a second factor given at `secondFactorAt` is fresh enough for a step-up action at `now`. */
export function hasFreshSecondFactor(secondFactorAt: number | null, now: number): boolean {
  return secondFactorAt !== null && now - secondFactorAt < STEP_UP_WINDOW_MS && secondFactorAt <= now + 60_000;
}
