import { idleEndsInSeconds } from './console-pages';

describe('the time left before an idle session ends', () => {
  const limits = { idleMs: 15 * 60_000, absoluteMs: 12 * 3_600_000 };

  it('counts from the last activity, as a duration rather than a time', () => {
    expect(idleEndsInSeconds({ lastSeenAt: 1_000_000, createdAt: 0 }, limits, 1_000_000)).toBe(900);
    expect(idleEndsInSeconds({ lastSeenAt: 1_000_000, createdAt: 0 }, limits, 1_000_000 + 60_000)).toBe(840);
  });

  it('never goes past the absolute end, nor below nothing', () => {
    const createdAt = 0;
    const late = limits.absoluteMs - 5 * 60_000;
    expect(idleEndsInSeconds({ lastSeenAt: late, createdAt }, limits, late)).toBe(300);
    expect(idleEndsInSeconds({ lastSeenAt: 0, createdAt }, limits, limits.idleMs + 1)).toBe(0);
  });
});
