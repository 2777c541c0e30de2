import { createHash } from 'node:crypto';

/** Every action the audit log records. Entries name the actor and the object, never content. */
export const AUDIT_ACTIONS = [
  'message.submitted',
  'message.opened',
  'message.acknowledged',
  'message.forwarded',
  'attachment.uploaded',
  'attachment.downloaded',
  'permission.granted',
  'permission.denied',
  'case.opened',
  'case.closed',
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
  'webhook.resent',
  'report.imported',
  'dead-letter.redriven',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OBJECT_TYPES = ['message', 'attachment', 'forward', 'case', 'jit', 'api-key', 'agency', 'match', 'match-key', 'webhook', 'webhook-delivery', 'report-import', 'dead-letter'] as const;
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
}

/** An entry as stored: its position in the chain and the hash that seals it to its predecessor. */
export interface ChainedAuditEntry extends AuditFacts {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The predecessor of the first entry. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * The hash that seals an entry: SHA-256 over the previous entry's hash and every field of this one, in a
 * fixed order and encoding. Changing any field of any entry, removing one or reordering them changes the
 * hash of that entry, which no longer matches what its successor was sealed with.
 */
export function auditEntryHash(prevHash: string, seq: number, facts: AuditFacts): string {
  const canonical = JSON.stringify([
    seq,
    facts.eventId,
    facts.at.toISOString(),
    facts.action,
    facts.agency,
    facts.keyId,
    facts.objectType,
    facts.objectId,
    facts.detail,
  ]);
  return createHash('sha256').update(prevHash, 'utf8').update('\n', 'utf8').update(canonical, 'utf8').digest('hex');
}

/** Chains new entries after the last stored one (or the genesis). */
export function chainAuditEntries(last: { seq: number; hash: string } | null, entries: AuditFacts[]): ChainedAuditEntry[] {
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
  return entries.map((facts) => {
    seq += 1;
    const hash = auditEntryHash(prevHash, seq, facts);
    const entry = { ...facts, seq, prevHash, hash };
    prevHash = hash;
    return entry;
  });
}

/** Why an entry breaks the chain. */
export type ChainBreak =
  | { seq: number; reason: 'hash-mismatch'; detail: string }
  | { seq: number; reason: 'link-mismatch'; detail: string }
  | { seq: number; reason: 'sequence-gap'; detail: string };

/**
 * Checks stored entries, in sequence order, against the entry before them (`previous`, or the genesis
 * when they start the log). Returns the first break, or null when every entry is sealed to its
 * predecessor and its own fields.
 */
export function verifyAuditChain(previous: { seq: number; hash: string } | null, entries: ChainedAuditEntry[]): ChainBreak | null {
  let expectedSeq = (previous?.seq ?? 0) + 1;
  let prevHash = previous?.hash ?? AUDIT_GENESIS_HASH;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return { seq: entry.seq, reason: 'sequence-gap', detail: `expected entry ${expectedSeq}, found ${entry.seq}: entries were removed` };
    }
    if (entry.prevHash !== prevHash) {
      return { seq: entry.seq, reason: 'link-mismatch', detail: `entry ${entry.seq} is not sealed to the entry before it` };
    }
    if (auditEntryHash(prevHash, entry.seq, entry) !== entry.hash) {
      return { seq: entry.seq, reason: 'hash-mismatch', detail: `entry ${entry.seq} was changed after it was written` };
    }
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  return null;
}
