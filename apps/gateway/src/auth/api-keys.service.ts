import { apiKeyHint, generateApiKey, hashApiKey, type Role } from '@liaison/domain';
import { AgencyRepository, type ApiKeyEntity } from '@liaison/persistence';
import { derivedEventId } from '@liaison/contracts';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { administeredAgency } from '../people/agency-scope';
import { requireFreshSecondFactor } from '../people/step-up';
import { ApiKeyRepository } from './api-key.repository';
import type { Caller } from './caller';

/**
 * How long an authenticated key is trusted without asking the database again. A key revoked through this
 * gateway stops working at once; through another replica, within this time.
 */
export const API_KEY_CACHE_MS = 5_000;
const API_KEY_CACHE_MAX = 10_000;

export interface IssuedKey {
  key: string;
  record: ApiKeyEntity;
}

@Injectable()
export class ApiKeysService {
  /** Active keys seen recently, by digest; unknown and revoked keys are never cached. */
  private readonly recent = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** The caller a presented key stands for, or null. Every request runs this, so active keys are cached briefly. */
  async authenticate(presented: string, now = Date.now()): Promise<Caller | null> {
    const digest = hashApiKey(presented);
    const cached = this.recent.get(digest);
    if (cached && cached.until > now) return cached.caller;
    const caller = await this.keys.findActiveCaller(digest);
    if (!caller) {
      this.recent.delete(digest);
      return null;
    }
    if (this.recent.size >= API_KEY_CACHE_MAX) this.recent.clear();
    this.recent.set(digest, { caller, until: now + API_KEY_CACHE_MS });
    return caller;
  }

  /**
   * The caller a key stood for when it was last seen active, however long ago, without asking the database; null
   * for a key never seen, or seen unknown or revoked since. Only for refusing a caller already over its limits
   * before any work is done: a key revoked meanwhile is refused either way, and the refusal outlasts the cache.
   */
  seenCaller(presented: string): Caller | null {
    return this.recent.get(hashApiKey(presented))?.caller ?? null;
  }

  /** Issues a key; the audit entry is acknowledged before the key exists. */
  async issue(
    request: { agency: string; role: Role; label: string },
    issuer: Caller,
    correlationId: string,
  ): Promise<IssuedKey> {
    requireFreshSecondFactor(issuer);
    // An admin's own agency, or for the operator's key any agency in the register.
    await administeredAgency(issuer, request.agency, this.agencies);
    const key = generateApiKey();
    const id = randomUUID();
    await this.audit.record(
      issuer,
      { action: 'key.created', objectType: 'api-key', objectId: id, detail: `${request.agency} ${request.role}` },
      correlationId,
    );
    const record = await this.keys.insertIfAbsent({
      id,
      keyHash: hashApiKey(key),
      hint: apiKeyHint(key),
      agencyCode: request.agency,
      role: request.role,
      label: request.label,
      createdAt: new Date(),
      createdBy: issuer.id,
      createdByType: issuer.type,
      lastUsedAt: null,
      revokedAt: null,
    });
    return { key, record };
  }

  /**
   * Registers the operator's admin key from LIAISON_ADMIN_KEY. Idempotent: the id is derived from the digest,
   * so restarting with the same key changes nothing.
   */
  async bootstrapAdmin(key: string, agency: string): Promise<ApiKeyEntity> {
    if (!(await this.agencies.find(agency))) {
      throw new Error(
        `LIAISON_ADMIN_AGENCY ${agency} is not in the agency register; run the migrations and seed first`,
      );
    }
    const keyHash = hashApiKey(key);
    return this.keys.insertIfAbsent({
      id: derivedEventId('bootstrap-admin-key', keyHash),
      keyHash,
      hint: apiKeyHint(key),
      agencyCode: agency,
      role: 'admin',
      label: 'bootstrap admin (LIAISON_ADMIN_KEY)',
      createdAt: new Date(),
      createdBy: null,
      createdByType: null,
      lastUsedAt: null,
      revokedAt: null,
    });
  }

  list(agency?: string): Promise<ApiKeyEntity[]> {
    return this.keys.list(agency);
  }

  async revoke(id: string, caller: Caller, correlationId: string): Promise<void> {
    if (!(await this.keys.isActive(id))) throw new ApplicationError(ErrorCode.NotFound, `no active API key ${id}`);
    await this.audit.record(caller, { action: 'key.revoked', objectType: 'api-key', objectId: id }, correlationId);
    await this.keys.revoke(id, new Date());
    for (const [digest, entry] of this.recent) if (entry.caller.id === id) this.recent.delete(digest);
  }
}
