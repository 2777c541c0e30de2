import { create } from '@bufbuild/protobuf';
import type { EntityLink as DomainLink, EntityType } from '@liaison/domain';
import { EntityLinkSchema, EntitySchema, type Entity, type EntityLink } from './gen/liaison/v1/entities_pb';

/** An entity as the API and the database hold it: `{ref, type, ...fields}` with the contract's field names. */
export type EntityJson = { ref: string; type: EntityType } & Record<string, unknown>;

type Case = NonNullable<Entity['kind']['case']>;

const CASES: Record<EntityType, Case> = {
  person: 'person',
  organisation: 'organisation',
  phone: 'phone',
  email: 'email',
  'social-media': 'socialMedia',
  'identity-document': 'identityDocument',
  vehicle: 'vehicle',
  'bank-account': 'bankAccount',
  location: 'location',
};
const TYPES = new Map(Object.entries(CASES).map(([type, kind]) => [kind, type as EntityType]));

/** Entities validated by the domain rules, as contract messages. */
export function entitiesToProto(entities: readonly EntityJson[]): Entity[] {
  return entities.map(({ ref, type, ...fields }) =>
    create(EntitySchema, { ref, kind: { case: CASES[type], value: fields } as Entity['kind'] } as never),
  );
}

/** Contract entities back into their JSON form, leaving out fields that were not given. */
export function entitiesFromProto(entities: readonly Entity[]): EntityJson[] {
  return entities.flatMap((entity) => {
    const type = entity.kind.case ? TYPES.get(entity.kind.case) : undefined;
    if (!type || !entity.kind.value) return [];
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(entity.kind.value)) {
      if (name.startsWith('$') || value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
        continue;
      fields[name] = value;
    }
    return [{ ref: entity.ref, type, ...fields }];
  });
}

export function linksToProto(links: readonly DomainLink[]): EntityLink[] {
  return links.map((link) => create(EntityLinkSchema, link));
}

export function linksFromProto(links: readonly EntityLink[]): DomainLink[] {
  return links.map(({ from, to, relation }) => ({ from, to, relation }));
}
