import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Every action the audit log records. Entries name the actor and the object, never content. */
export const AUDIT_ACTIONS = [
  'message.submitted',
  'message.opened',
  'message.acknowledged',
  'message.forwarded',
  'entity.rectified',
  'entity.removed',
  'attachment.uploaded',
  'attachment.downloaded',
  'permission.granted',
  'permission.denied',
  'case.opened',
  'case.closed',
  'case.exported',
  'case.erased',
  'case.hold-placed',
  'case.hold-released',
  'case.restricted',
  'case.restriction-lifted',
  'case.review-extended',
  'case.review-closed',
  'retention.rule-set',
  'retention.rule-removed',
  'jit.created',
  'jit.changed',
  'key.created',
  'key.revoked',
  'agency.clearance-changed',
  'match.released',
  'match.declined',
  'match.confirmed',
  'match.dismissed',
  'match-key.excluded',
  'match-key.exclusion-lifted',
  'webhook.registered',
  'webhook.removed',
  'webhook.secret-rotated',
  'webhook.resent',
  'report.imported',
  'dead-letter.redriven',
  'person.invited',
  'person.role-changed',
  'person.disabled',
  'person.enabled',
  'person.sessions-revoked',
  'person.second-factor-reset',
  'person.enrolled',
  'person.second-factor-enrolled',
  'person.recovery-code-used',
  'person.signed-in',
  'person.sign-in-failed',
  'person.locked-out',
  'person.signed-out',
  'person.signed-out-everywhere',
  'person.session-expired',
  'person.stepped-up',
  'identity-provider.set',
  'identity-provider.removed',
  'audit.read',
  'audit.exported',
  'subject-access.searched',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OBJECT_TYPES = [
  'message',
  'attachment',
  'forward',
  'case',
  'jit',
  'api-key',
  'agency',
  'match',
  'match-key',
  'webhook',
  'webhook-delivery',
  'report-import',
  'dead-letter',
  'person',
  'identity-provider',
  'audit',
  'subject-access',
] as const;
export type AuditObjectType = (typeof AUDIT_OBJECT_TYPES)[number];

/** What an entry says happened. */
export interface AuditFacts {
  eventId: string;
  at: Date;
  action: string;
  agency: string;
  keyId: string;
  objectType: string;
  objectId: string;
  detail: string;
  /** `person`, `api-key` or `system`; empty in entries recorded before principals, which named only the key. */
  principalType: string;
  principalId: string;
}

/**
 * How an entry is sealed. `hmac-sha256`: an HMAC under the audit seal key, which the database does not hold,
 * so that database rights are not enough to rewrite the chain. `sha256`: a plain hash, as entries were sealed
 * before the key; accepted only before the first keyed entry.
 */
export type AuditSeal = 'hmac-sha256' | 'sha256';

/** An entry as stored: its position in the chain and the seal that binds it to its predecessor. */
export interface ChainedAuditEntry extends AuditFacts {
  seq: number;
  prevHash: string;
  hash: string;
  seal: AuditSeal;
}

/** The predecessor of the first entry. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * The fields an entry is sealed over, in a fixed order. Entries that name a principal add its type and id at the
 * end; entries recorded before (no principal type) keep the form they were sealed in, so they still verify. An
 * entry cannot be passed off as the older form: dropping its principal changes what its seal covers.
 */
function canonicalEntry(seq: number, facts: AuditFacts): string {
  const fields: (string | number)[] = [
    seq,
    facts.eventId,
    facts.at.toISOString(),
    facts.action,
    facts.agency,
    facts.keyId,
    facts.objectType,
    facts.objectId,
    facts.detail,
  ];
  if (facts.principalType !== '') fields.push(facts.principalType, facts.principalId);
  return JSON.stringify(fields);
}

/**
 * The plain hash entries were sealed with before the seal key: SHA-256 over the previous entry's hash and every
 * field of this one, in a fixed order and encoding. Anyone can compute it, so it proves order, not authorship.
 */
export function auditEntryHash(prevHash: string, seq: number, facts: AuditFacts): string {
  return createHash('sha256')
    .update(prevHash, 'utf8')
    .update('\n', 'utf8')
    .update(canonicalEntry(seq, facts), 'utf8')
    .digest('hex');
}

/**
 * The seal of an entry: HMAC-SHA256 under the seal key over the previous entry's seal and every field of this
 * one. Changing, removing or reordering an entry breaks the seal of it or of its successor, and without the
 * key no one can seal the change again.
 */
export function auditEntrySeal(key: string, prevHash: string, seq: number, facts: AuditFacts): string {
  return createHmac('sha256', key)
    .update('liaison-audit-entry\n', 'utf8')
    .update(prevHash, 'utf8')
    .update('\n', 'utf8')
    .update(canonicalEntry(seq, facts), 'utf8')
    .digest('hex');
}

/** Chains new entries after the last stored one (or the genesis), each sealed with the key. */
export function chainAuditEntries(
  key: string,
  last: { seq: number; hash: string } | null,
  entries: AuditFacts[],
): ChainedAuditEntry[] {
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
  return entries.map((facts) => {
    seq += 1;
    const hash = auditEntrySeal(key, prevHash, seq, facts);
    const entry: ChainedAuditEntry = { ...facts, seq, prevHash, hash, seal: 'hmac-sha256' };
    prevHash = hash;
    return entry;
  });
}

/** Where the chain's head stood at a moment, sealed with the key: kept outside PostgreSQL. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: Date;
  mac: string;
}

function checkpointMac(key: string, seq: number, hash: string, at: Date): string {
  return createHmac('sha256', key)
    .update(`liaison-audit-checkpoint\n${seq}\n${hash}\n${at.toISOString()}`, 'utf8')
    .digest('hex');
}

export function auditCheckpoint(key: string, head: { seq: number; hash: string }, at: Date): AuditCheckpoint {
  return { seq: head.seq, hash: head.hash, at, mac: checkpointMac(key, head.seq, head.hash, at) };
}

/** Whether a checkpoint was made with the key (one forged or altered outside is not). */
export function isAuthenticCheckpoint(key: string, checkpoint: AuditCheckpoint): boolean {
  const expected = Buffer.from(checkpointMac(key, checkpoint.seq, checkpoint.hash, checkpoint.at), 'hex');
  const given = Buffer.from(checkpoint.mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Why the log breaks, by name:
 * - `sequence-gap`: entries are missing between two that remain;
 * - `link-mismatch`: an entry is not sealed to the one before it (entries removed, inserted or reordered);
 * - `changed`: an entry's fields no longer match its seal;
 * - `resealed`: an entry was sealed again without the key (its seal is a plain hash of its fields, where a keyed
 *   seal belongs): the chain was rewritten by someone with database rights;
 * - `truncated`: the log ends before the newest checkpoint, or its entry there is not the one checkpointed.
 */
export type ChainBreak =
  | { seq: number; reason: 'sequence-gap'; detail: string }
  | { seq: number; reason: 'link-mismatch'; detail: string }
  | { seq: number; reason: 'changed'; detail: string }
  | { seq: number; reason: 'resealed'; detail: string }
  | { seq: number; reason: 'truncated'; detail: string };

/** What the verification carries from one page of entries to the next. */
export interface ChainPosition {
  seq: number;
  hash: string;
  /** Whether a keyed entry came before: from then on only keyed entries are accepted. */
  keyed: boolean;
}

function sealHolds(key: string, prevHash: string, entry: ChainedAuditEntry): boolean {
  const expected =
    entry.seal === 'hmac-sha256'
      ? auditEntrySeal(key, prevHash, entry.seq, entry)
      : auditEntryHash(prevHash, entry.seq, entry);
  return expected === entry.hash;
}

/**
 * Checks stored entries, in sequence order, against the position before them (`previous`, or the genesis
 * when they start the log), with the seal key. Returns the first break, or null when every entry holds.
 */
export function verifyAuditChain(
  key: string,
  previous: ChainPosition | null,
  entries: ChainedAuditEntry[],
): ChainBreak | null {
  let expectedSeq = (previous?.seq ?? 0) + 1;
  let prevHash = previous?.hash ?? AUDIT_GENESIS_HASH;
  let keyed = previous?.keyed ?? false;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return {
        seq: entry.seq,
        reason: 'sequence-gap',
        detail: `expected entry ${expectedSeq}, found ${entry.seq}: entries were removed`,
      };
    }
    if (entry.prevHash !== prevHash) {
      return {
        seq: entry.seq,
        reason: 'link-mismatch',
        detail: `entry ${entry.seq} is not sealed to the entry before it`,
      };
    }
    const downgraded = keyed && entry.seal !== 'hmac-sha256';
    if (downgraded || !sealHolds(key, prevHash, entry)) {
      const rehashed = downgraded || auditEntryHash(prevHash, entry.seq, entry) === entry.hash;
      return rehashed
        ? {
            seq: entry.seq,
            reason: 'resealed',
            detail: `entry ${entry.seq} was sealed again without the audit key: the chain was rewritten from there`,
          }
        : { seq: entry.seq, reason: 'changed', detail: `entry ${entry.seq} was changed after it was written` };
    }
    keyed ||= entry.seal === 'hmac-sha256';
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  return null;
}

/**
 * Holds the log's end to the newest checkpoint: the entry it names must still be there, with the seal it had.
 * `atCheckpoint` is the stored entry of the checkpoint's sequence number (undefined when there is none);
 * `last` the newest stored sequence number.
 */
export function checkpointBreak(
  checkpoint: AuditCheckpoint,
  atCheckpoint: { seq: number; hash: string } | undefined,
  last: number,
): ChainBreak | null {
  if (atCheckpoint === undefined) {
    return {
      seq: last + 1,
      reason: 'truncated',
      detail: `the log ends at entry ${last}, but a checkpoint of ${checkpoint.at.toISOString()} records entry ${checkpoint.seq}: newer entries were removed`,
    };
  }
  if (atCheckpoint.hash !== checkpoint.hash) {
    return {
      seq: checkpoint.seq,
      reason: 'resealed',
      detail: `entry ${checkpoint.seq} is not the one the checkpoint of ${checkpoint.at.toISOString()} records: the chain was rewritten`,
    };
  }
  return null;
}
