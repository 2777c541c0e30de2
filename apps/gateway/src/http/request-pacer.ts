import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { RateLimitedProblem } from './rate-limits';

/**
 * Spreads each API key's requests over its rate-limit window, as a leaky bucket does (the generic cell rate
 * algorithm; nginx's limit_req without nodelay works the same way). A key allowed 300 reads in 10 seconds may
 * send RATE_LIMIT_BURST of them at once; beyond that, each waits until 1/300 of the window has passed since the
 * one before, and one that would wait longer than RATE_LIMIT_MAX_WAIT_MS is refused with 429. Without this, a
 * key may spend its whole window's allowance in a moment, and every other agency's request made in that moment
 * waits behind it. The counts in Redis still decide what a key may do in a window across replicas; this decides
 * how fast a replica lets it.
 */
@Injectable()
export class RequestPacer {
  /** When each key's next request would be due at its steady rate (the theoretical arrival time), in ms. */
  private readonly due = new Map<string, number>();
  private readonly intervals: Record<'keyReads' | 'keyWrites' | 'agencyReads' | 'agencyWrites', number>;
  private readonly burst: number;
  private readonly maxWait: number;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
    this.intervals = {
      keyReads: windowMs / config.RATE_LIMIT_KEY_READS,
      keyWrites: windowMs / config.RATE_LIMIT_KEY_WRITES,
      agencyReads: windowMs / config.RATE_LIMIT_AGENCY_READS,
      agencyWrites: windowMs / config.RATE_LIMIT_AGENCY_WRITES,
    };
    this.burst = config.RATE_LIMIT_BURST;
    this.maxWait = config.RATE_LIMIT_MAX_WAIT_MS;
  }

  /** Waits for the caller's request to be due, at its key's rate and at its agency's; refuses it (429) when it would wait too long. */
  async pace(caller: Caller, method: string, now = Date.now()): Promise<void> {
    const wait = this.admit(caller, method, now);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** How long the request must wait, having taken its place; throws when it may not. */
  admit(caller: Caller, method: string, now: number): number {
    const write = method !== 'GET' && method !== 'HEAD';
    const schedules: [string, number, string][] = write
      ? [
          [`kw:${caller.id}`, this.intervals.keyWrites, 'this API key is sending writes'],
          [`aw:${caller.agency}`, this.intervals.agencyWrites, `agency ${caller.agency} is sending writes`],
        ]
      : [
          [`kr:${caller.id}`, this.intervals.keyReads, 'this API key is sending reads'],
          [`ar:${caller.agency}`, this.intervals.agencyReads, `agency ${caller.agency} is sending reads`],
        ];
    let wait = 0;
    const dues = schedules.map(([key, interval, what]) => {
      const due = Math.max(this.due.get(key) ?? now, now);
      const own = due - now - (this.burst - 1) * interval;
      if (own > this.maxWait) throw new RateLimitedProblem(own, `${what} faster than its limit allows`);
      wait = Math.max(wait, own);
      return [key, interval] as const;
    });
    if (this.due.size >= PACED_MAX) this.forgetIdle(now);
    // Both schedules move on from the moment the request is let through.
    for (const [key, interval] of dues) this.due.set(key, Math.max(this.due.get(key) ?? now, now + wait) + interval);
    return wait;
  }

  /** Drops the keys whose schedule has caught up with the clock (they would be admitted at once anyway). */
  private forgetIdle(now: number): void {
    for (const [key, due] of this.due) if (due <= now) this.due.delete(key);
  }
}

/** Keys whose schedule is kept before idle ones are forgotten. */
const PACED_MAX = 100_000;
