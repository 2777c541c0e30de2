import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MatchKeyExclusionChangedSchema, Topics } from '@liaison/contracts';
import { entityMatchKeys, KEY_ENTITY_TYPE, matchKeyKind } from '@liaison/domain';
import { isBlindKey } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { MatchKeyValues } from './match-key-values';
import { MatchKeyRepository, type ExclusionRow } from './match-key.repository';

/** What an exclusion names: one key as listed, or an entity whose keys it excludes. */
export interface ExclusionRequest {
  key?: string;
  entity?: Record<string, unknown>;
  country?: string;
  reason: string;
}

/** An opaque reference to a key for the audit log, which holds no personal data. */
const keyDigest = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

/**
 * Admins' exclusions of match keys: audited and published to the matcher, which applies them to every match
 * found from then on; the answer waits (briefly) until the matcher has.
 */
@Injectable()
export class MatchKeyExclusionsUseCase {
  constructor(
    private readonly keys: MatchKeyRepository,
    private readonly values: MatchKeyValues,
    private readonly audit: AuditTrail,
  ) {}

  async exclude(request: ExclusionRequest, caller: Caller, correlationId: string): Promise<ExclusionRow[]> {
    // The index holds keys blind: each is excluded in that form, its value sealed beside it for the list.
    const named = keysOf(request);
    const held = await this.values.held(named);
    const keys = await Promise.all(
      named.map(async (key) => {
        const blind = this.values.blind(key);
        const value = held.get(key);
        return { blind, sealedValue: value ? await this.values.sealForExclusion(blind, value) : undefined };
      }),
    );
    await this.change(keys, true, request.reason, caller, correlationId);
    const blindKeys = keys.map((k) => k.blind);
    return settle(
      () => this.keys.exclusions(blindKeys),
      (found) => found.length === blindKeys.length,
    );
  }

  /** Lifts the exclusion of a key, named in clear or blind. */
  async lift(key: string, caller: Caller, correlationId: string): Promise<void> {
    const blind = key.indexOf(':') > 0 ? this.values.blind(key) : key;
    if ((await this.keys.exclusions([blind])).length === 0)
      throw new ApplicationError(ErrorCode.NotFound, 'no exclusion of that key');
    await this.change([{ blind }], false, '', caller, correlationId);
    await settle(
      () => this.keys.exclusions([blind]),
      (found) => found.length === 0,
    );
  }

  private async change(
    keys: { blind: string; sealedValue?: Buffer }[],
    excluded: boolean,
    reason: string,
    caller: Caller,
    correlationId: string,
  ): Promise<void> {
    const changedAt = timestampFromDate(new Date());
    await this.audit.publishAudited(
      Topics.matchKeyExclusionChanged,
      keys.map(({ blind, sealedValue }) => ({
        key: blind,
        correlationId,
        payload: create(MatchKeyExclusionChangedSchema, {
          key: blind,
          sealedValue,
          excluded,
          reason,
          changedByKeyId: caller.id,
          changedAt,
        }),
      })),
      caller,
      keys.map(({ blind }) => ({
        action: excluded ? 'match-key.excluded' : 'match-key.exclusion-lifted',
        objectType: 'match-key',
        objectId: keyDigest(blind),
      })),
      correlationId,
    );
  }
}

/** The keys an exclusion names: one key as listed, or every key of an entity; a 4xx when it names none. */
function keysOf(body: ExclusionRequest): string[] {
  if ((body.key === undefined) === (body.entity === undefined))
    throw ApplicationError.field('key', 'give either key or entity, not both');
  if (body.key !== undefined) {
    if (!matchKeyKind(body.key) || (isBlindKey(body.key) && !/^[a-z-]+:#[A-Za-z0-9_-]{43}$/.test(body.key)))
      throw new ApplicationError(
        ErrorCode.InvalidMatchKey,
        `key: must be <kind>:<value> with kind one of ${Object.keys(KEY_ENTITY_TYPE).join(', ')}`,
        [{ field: 'key', message: 'is not a match key' }],
      );
    return [body.key];
  }
  const keys = entityMatchKeys(body.entity!, body.country).map((k) => k.key);
  if (keys.length === 0) {
    throw new ApplicationError(
      ErrorCode.InvalidMatchKey,
      'entity: gives no match key (an unknown type, a missing field, or a number or checksum that is not valid)',
      [{ field: 'entity', message: 'gives no match key' }],
    );
  }
  return keys;
}
