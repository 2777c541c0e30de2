import type { FastifyInstance } from 'fastify';
import { bearerKey } from '../auth/api-key.guard';
import type { ApiKeysService } from '../auth/api-keys.service';
import { problemOf, sendProblem } from './problem.filter';
import type { RateLimits } from './rate-limits';

/**
 * Refuses a flood before it costs anything: a request from a caller already over one of its rate limits (its
 * key known active from the key cache, its limit from memory) is answered 429 as it arrives, before routing,
 * body parsing, validation or any database or Redis round trip; so is a request whose key is not known active
 * from an address over the failed-authentication limit. Everything else goes on to the guard, which counts it.
 * Health checks are never refused here, so an orchestrator's probes are answered whatever a neighbour does.
 */
export function refuseFloodsEarly(fastify: FastifyInstance, keys: ApiKeysService, limits: RateLimits): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/health')) return done();
    const key = bearerKey(request.headers.authorization);
    const refused = limits.refusalInMemory(key ? keys.cachedCaller(key) : null, request.method, request.ip);
    if (!refused) return done();
    sendProblem(reply, problemOf(refused), request.url, refused);
  });
}
