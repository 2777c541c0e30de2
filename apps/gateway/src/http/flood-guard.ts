import type { FastifyInstance } from 'fastify';
import { bearerKey } from '../auth/api-key.guard';
import type { ApiKeysService } from '../auth/api-keys.service';
import { problemOf, sendProblem } from './problem.filter';
import type { RateLimitedProblem, RateLimits } from './rate-limits';

/** How long a refusal to a caller already refused is held before it is sent. */
export const REFUSAL_HOLD_MS = 1_000;

/** Most refusals held at once; past it they are sent at once (a held refusal keeps its connection open). */
export const MAX_HELD_REFUSALS = 5_000;

/**
 * Refuses a flood before it costs anything. A request from a caller already over one of its rate limits (its
 * key seen active before, its limit from memory) is answered 429 as it arrives, before routing,
 * body parsing, validation or any database or Redis round trip; so is a request whose key was not seen active,
 * from an address over the failed-authentication limit. Everything else goes on to the guard, which counts it.
 *
 * Such a refusal is held for up to a second before it is sent: a client that keeps asking without waiting for
 * Retry-After then gets one answer a second per connection instead of as many as the server can write, so it
 * cannot take the CPU from other agencies by asking faster. A client that honours Retry-After never sees the
 * hold. Health checks are never refused here, so an orchestrator's probes are answered whatever a neighbour does.
 */
export function refuseFloodsEarly(
  fastify: FastifyInstance,
  keys: ApiKeysService,
  limits: RateLimits,
  maxHeld = MAX_HELD_REFUSALS,
): void {
  let held = 0;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/health')) return done();
    const key = bearerKey(request.headers.authorization);
    const refused = limits.refusalInMemory(key ? keys.seenCaller(key) : null, request.method, request.ip);
    if (!refused) return done();
    const send = (refusal: RateLimitedProblem) => sendProblem(reply, problemOf(refusal), request.url, refusal);
    const hold = Math.min(REFUSAL_HOLD_MS, refused.msBeforeNext);
    if (held >= maxHeld || hold <= 0) return void send(refused);
    held += 1;
    setTimeout(() => {
      held -= 1;
      if (!reply.raw.destroyed) send(refused.later(hold));
    }, hold);
  });
}
