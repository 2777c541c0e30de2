import { createHash, createPublicKey, verify } from 'node:crypto';
import { chainAuditEntries } from './audit';
import { auditExportEntryLine, auditExportHeaderLine, auditExportKeys, AuditExportSigner } from './audit-export';

describe('audit export', () => {
  const sealKey = 'an audit seal key of at least thirty-two characters';

  it('derives the same signing key from the same seal key, and another from another', () => {
    expect(auditExportKeys(sealKey).publicKeyPem).toBe(auditExportKeys(sealKey).publicKeyPem);
    expect(auditExportKeys(`${sealKey}!`).publicKeyPem).not.toBe(auditExportKeys(sealKey).publicKeyPem);
    expect(auditExportKeys(sealKey).publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('signs the SHA-256 of every line before the signature, which the public key verifies', () => {
    const keys = auditExportKeys(sealKey);
    const [entry] = chainAuditEntries(sealKey, null, [
      {
        eventId: 'e1',
        at: new Date('2026-12-01T10:00:00Z'),
        action: 'case.erased',
        agency: 'GB-WMP',
        keyId: '',
        objectType: 'case',
        objectId: 'LIA-2026-AAAAAAAAA',
        detail: 'no-longer-needed',
        principalType: 'person',
        principalId: 'p1',
      },
    ]);
    const signer = new AuditExportSigner(keys.privateKey);
    const body =
      signer.add(
        auditExportHeaderLine({
          from: new Date('2026-12-01T00:00:00Z'),
          to: new Date('2026-12-02T00:00:00Z'),
          exportedAt: new Date('2026-12-02T01:00:00Z'),
          afterSeq: 0,
          afterHash: '0'.repeat(64),
          publicKeyPem: keys.publicKeyPem,
        }),
      ) + signer.add(auditExportEntryLine(entry));
    const signature = JSON.parse(signer.signatureLine()) as { lines: number; sha256: string; signature: string };
    expect(signature.lines).toBe(2);
    expect(signature.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    const publicKey = createPublicKey(keys.publicKeyPem);
    const digest = Buffer.from(signature.sha256, 'hex');
    expect(verify(null, digest, publicKey, Buffer.from(signature.signature, 'base64'))).toBe(true);
    expect(verify(null, Buffer.alloc(32), publicKey, Buffer.from(signature.signature, 'base64'))).toBe(false);
    expect(JSON.parse(body.split('\n')[1])).toMatchObject({ seq: 1, hash: entry.hash, seal: 'hmac-sha256' });
  });
});
