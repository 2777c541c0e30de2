import type { AgencyRepository } from '@liaison/persistence';
import type { AuditTrail } from '../audit/audit-trail';
import type { ApiKeyRepository } from './api-key.repository';
import { API_KEY_CACHE_MS, ApiKeysService } from './api-keys.service';
import type { Caller } from './caller';

/** The key store, in memory: counts lookups so that caching can be seen. */
class KeyStore {
  lookups = 0;
  readonly active = new Map<string, Caller>();

  findActiveCaller = (digest: string) => {
    this.lookups += 1;
    return Promise.resolve(this.active.get(digest) ?? null);
  };
  isActive = (id: string) => Promise.resolve([...this.active.values()].some((c) => c.id === id));
  revoke = (id: string) => {
    for (const [digest, caller] of this.active) if (caller.id === id) this.active.delete(digest);
    return Promise.resolve(true);
  };
}

describe('ApiKeysService.authenticate', () => {
  const caller: Caller = {
    type: 'api-key',
    id: '11111111-1111-4111-8111-111111111111',
    agency: 'GB-NCA',
    role: 'officer',
  };
  const admin: Caller = {
    type: 'api-key',
    id: '22222222-2222-4222-8222-222222222222',
    agency: 'GB-NCA',
    role: 'admin',
  };
  const key = 'lia_presented-key';
  let store: KeyStore;
  let service: ApiKeysService;

  beforeEach(async () => {
    store = new KeyStore();
    const { hashApiKey } = await import('@liaison/domain');
    store.active.set(hashApiKey(key), caller);
    const audit = { record: () => Promise.resolve() } as unknown as AuditTrail;
    service = new ApiKeysService(store as unknown as ApiKeyRepository, {} as AgencyRepository, audit);
  });

  it('asks the store once, then trusts the answer for a short while', async () => {
    expect(await service.authenticate(key, 1_000)).toEqual(caller);
    expect(await service.authenticate(key, 1_000 + API_KEY_CACHE_MS - 1)).toEqual(caller);
    expect(store.lookups).toBe(1);
    expect(await service.authenticate(key, 1_000 + API_KEY_CACHE_MS + 1)).toEqual(caller);
    expect(store.lookups).toBe(2);
  });

  it('never caches an unknown key', async () => {
    expect(await service.authenticate('lia_unknown', 1_000)).toBeNull();
    expect(await service.authenticate('lia_unknown', 1_001)).toBeNull();
    expect(store.lookups).toBe(2);
  });

  it('knows a key it has seen active past the cache time, without asking the store, and forgets it once refused', async () => {
    expect(service.seenCaller(key)).toBeNull();
    expect(await service.authenticate(key, 1_000)).toEqual(caller);
    expect(service.seenCaller(key)).toEqual(caller);
    expect(store.lookups).toBe(1);
    store.active.clear(); // revoked on another replica
    expect(await service.authenticate(key, 1_000 + API_KEY_CACHE_MS + 1)).toBeNull();
    expect(service.seenCaller(key)).toBeNull();
    expect(service.seenCaller('lia_unknown')).toBeNull();
  });

  it('forgets a key revoked through it at once', async () => {
    expect(await service.authenticate(key, 1_000)).toEqual(caller);
    await service.revoke(caller.id, admin, 'correlation');
    expect(await service.authenticate(key, 1_001)).toBeNull();
  });
});
