import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, type KeyObject } from 'node:crypto';
import type { ChainedAuditEntry } from './audit';

/**
 * The audit log exported for a period as signed JSON lines, which anyone holding the export's public key can check
 * without Liaison's code (the README's verifier): a header line naming the period and the entry the period follows
 * (its sequence number and seal), one line per entry with everything its seal covers, and a last line with the
 * SHA-256 of every line before it and an Ed25519 signature over that digest. Holding the seal key as well, the
 * verifier recomputes every entry's seal.
 *
 * The signing key is derived from the audit seal key (HKDF-SHA256), so it needs no configuration of its own and
 * is the same on every gateway; its public half is published to admins (`GET /v1/audit/export-key`).
 */
export const AUDIT_EXPORT_FORMAT = 'liaison-audit-export/1';

/** PKCS#8 DER of an Ed25519 private key, before its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface AuditExportKeys {
  privateKey: KeyObject;
  /** SPKI, PEM. */
  publicKeyPem: string;
}

export function auditExportKeys(sealKey: string): AuditExportKeys {
  const seed = Buffer.from(hkdfSync('sha256', sealKey, '', 'liaison-audit-export-ed25519', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
}

export interface AuditExportHeader {
  from: Date;
  to: Date;
  exportedAt: Date;
  /** The entry before the first exported (0 and the genesis hash when the period starts the log). */
  afterSeq: number;
  afterHash: string;
  publicKeyPem: string;
}

export function auditExportHeaderLine(header: AuditExportHeader): string {
  return `${JSON.stringify({
    type: 'header',
    format: AUDIT_EXPORT_FORMAT,
    from: header.from.toISOString(),
    to: header.to.toISOString(),
    exportedAt: header.exportedAt.toISOString(),
    afterSeq: header.afterSeq,
    afterHash: header.afterHash,
    algorithm: 'Ed25519',
    publicKey: header.publicKeyPem,
  })}\n`;
}

export function auditExportEntryLine(entry: ChainedAuditEntry): string {
  return `${JSON.stringify({
    type: 'entry',
    seq: entry.seq,
    eventId: entry.eventId,
    at: entry.at.toISOString(),
    action: entry.action,
    agency: entry.agency,
    keyId: entry.keyId,
    objectType: entry.objectType,
    objectId: entry.objectId,
    detail: entry.detail,
    principalType: entry.principalType,
    principalId: entry.principalId,
    prevHash: entry.prevHash,
    hash: entry.hash,
    seal: entry.seal,
  })}\n`;
}

/** Signs every line before it: the running SHA-256 of those lines' bytes, signed with Ed25519. */
export class AuditExportSigner {
  private readonly digest = createHash('sha256');
  private lines = 0;

  constructor(private readonly privateKey: KeyObject) {}

  /** Passes a line through, counting it into the signature. */
  add(line: string): string {
    this.digest.update(line, 'utf8');
    this.lines += 1;
    return line;
  }

  signatureLine(): string {
    const sha256 = this.digest.digest('hex');
    const signature = sign(null, Buffer.from(sha256, 'hex'), this.privateKey).toString('base64');
    return `${JSON.stringify({ type: 'signature', lines: this.lines, sha256, signature })}\n`;
  }
}
