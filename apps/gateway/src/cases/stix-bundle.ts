import { v5 as uuidv5 } from 'uuid';

/**
 * A case's entities as a STIX 2.1 bundle, for analysts who load cases into MISP or OpenCTI: the case as a
 * grouping, people and organisations as identities, places as locations, identifiers as observables, the
 * links between entities as relationships, all created by the owning agency's identity. Ids are stable: the
 * same case exported twice gives the same objects, so a platform merges rather than duplicates them.
 *
 * Observables without a STIX 2.1 type of their own use the types OpenCTI gives them (`phone-number`,
 * `bank-account`); identity documents and vehicles, which neither has, are `x-liaison-` objects.
 */

/** STIX 2.1's namespace for the ids of cyber observables (section 2.9). */
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Liaison's namespace for the ids of what it exports (cases, people, organisations, places, links). */
const LIAISON_NAMESPACE = '7d4c5f4e-1f0b-5d43-9c0e-5a1f3e7c2b61';

export interface ExportedCase {
  reference: string;
  owner: { code: string; name: string };
  openedAt: string;
  crimeArea: string | null;
  /** The entities the export may carry, each with the message it came in (for its ref and its time). */
  entities: { messageId: string; submittedAt: string; entity: Record<string, unknown> }[];
  /** Links between those entities, by message and ref. */
  links: { messageId: string; from: string; to: string; relation: string }[];
}

type StixObject = Record<string, unknown> & { type: string; id: string };

/** An observable's id: UUIDv5 over its id-contributing properties as canonical JSON (RFC 8785). */
function observableId(type: string, properties: Record<string, string>): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : 1))));
  return `${type}--${uuidv5(canonical, SCO_NAMESPACE)}`;
}

function domainId(type: string, ...parts: string[]): string {
  return `${type}--${uuidv5(parts.join('|'), LIAISON_NAMESPACE)}`;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

function observable(type: string, properties: Record<string, string | undefined>, idFrom: string[]): StixObject | null {
  const given = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  const contributing = Object.fromEntries(idFrom.filter((name) => given[name]).map((name) => [name, given[name]]));
  if (Object.keys(contributing).length === 0) return null;
  return { type, spec_version: '2.1', id: observableId(type, contributing), ...given };
}

/** The STIX object for one entity, or null for one the export has no form for. */
function entityObject(
  reference: string,
  item: ExportedCase['entities'][number],
  common: { created_by_ref: string; created: string; modified: string },
): StixObject | null {
  const e = item.entity;
  const sdo = (type: string, properties: Record<string, unknown>): StixObject => ({
    type,
    spec_version: '2.1',
    id: domainId(type, reference, item.messageId, String(e.ref)),
    ...common,
    ...properties,
  });
  switch (e.type) {
    case 'person': {
      const names = Array.isArray(e.names) ? e.names.filter((n): n is string => typeof n === 'string') : [];
      const facts = [
        text(e.dateOfBirth) && `born ${String(e.dateOfBirth)}`,
        text(e.nationality) && `nationality ${String(e.nationality)}`,
      ].filter(Boolean);
      return sdo('identity', {
        name: names.join(' / ') || 'Unnamed person',
        identity_class: 'individual',
        ...(facts.length ? { description: facts.join(', ') } : {}),
      });
    }
    case 'organisation':
      return sdo('identity', { name: text(e.name) ?? 'Unnamed organisation', identity_class: 'organization' });
    case 'location':
      return sdo('location', {
        ...(text(e.address) ? { street_address: e.address } : {}),
        ...(text(e.city) ? { city: e.city } : {}),
        ...(text(e.country) ? { country: e.country } : {}),
        ...(typeof e.latitude === 'number' ? { latitude: e.latitude, longitude: e.longitude } : {}),
      });
    case 'email':
      return observable('email-addr', { value: text(e.address) }, ['value']);
    case 'phone':
      return observable('phone-number', { value: text(e.number) }, ['value']);
    case 'bank-account':
      return observable('bank-account', { iban: text(e.iban), bic: text(e.bic) }, ['iban']);
    case 'social-media':
      return observable(
        'user-account',
        { account_login: text(e.handle), account_type: text(e.platform)?.toLowerCase() },
        ['account_type', 'account_login'],
      );
    case 'identity-document':
      return observable(
        'x-liaison-identity-document',
        { document_type: text(e.documentType), issuing_country: text(e.issuingCountry), number: text(e.number) },
        ['document_type', 'issuing_country', 'number'],
      );
    case 'vehicle':
      return observable('x-liaison-vehicle', { plate: text(e.plate), country: text(e.country), vin: text(e.vin) }, [
        'vin',
        'country',
        'plate',
      ]);
    default:
      return null;
  }
}

/** The bundle. `now` stamps the bundle; objects carry the case's and the messages' own times. */
export function caseStixBundle(exported: ExportedCase, now: Date): Record<string, unknown> {
  const owner: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: domainId('identity', 'agency', exported.owner.code),
    created: exported.openedAt,
    modified: exported.openedAt,
    name: `${exported.owner.name} (${exported.owner.code})`,
    identity_class: 'organization',
  };
  const objects = new Map<string, StixObject>();
  const byRef = new Map<string, string>();
  for (const item of exported.entities) {
    const stamp = { created_by_ref: owner.id, created: item.submittedAt, modified: item.submittedAt };
    const object = entityObject(exported.reference, item, stamp);
    if (!object) continue;
    if (!objects.has(object.id)) objects.set(object.id, object);
    byRef.set(`${item.messageId}|${String(item.entity.ref)}`, object.id);
  }
  const relationships: StixObject[] = exported.links.flatMap((link) => {
    const [source, target] = [byRef.get(`${link.messageId}|${link.from}`), byRef.get(`${link.messageId}|${link.to}`)];
    if (!source || !target) return [];
    return [
      {
        type: 'relationship',
        spec_version: '2.1',
        id: domainId('relationship', exported.reference, link.messageId, link.from, link.to, link.relation),
        created_by_ref: owner.id,
        created: exported.openedAt,
        modified: exported.openedAt,
        relationship_type: link.relation,
        source_ref: source,
        target_ref: target,
      },
    ];
  });
  const grouping: StixObject = {
    type: 'grouping',
    spec_version: '2.1',
    id: domainId('grouping', exported.reference),
    created_by_ref: owner.id,
    created: exported.openedAt,
    modified: now.toISOString(),
    name: exported.reference,
    context: 'suspicious-activity',
    ...(exported.crimeArea ? { labels: [exported.crimeArea] } : {}),
    // A grouping names at least one object: with nothing to export, the agency that exported it.
    object_refs: objects.size > 0 ? [...objects.keys(), ...relationships.map((r) => r.id)] : [owner.id],
  };
  return {
    type: 'bundle',
    id: `bundle--${uuidv5(`${exported.reference}|${now.toISOString()}`, LIAISON_NAMESPACE)}`,
    objects: [owner, grouping, ...objects.values(), ...relationships],
  };
}
