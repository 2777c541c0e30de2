import {
  AUDIT_GENESIS_HASH,
  auditExportEntryLine,
  auditExportHeaderLine,
  auditExportKeys,
  AuditExportSigner,
  type AuditExportKeys,
} from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ApplicationError } from '../application/application-error';
import { AuditTrail } from './audit-trail';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { AuditReadRepository } from './audit-read.repository';

const PAGE = 5_000;
/** The longest period one export covers. */
const MAX_DAYS = 366;

/**
 * Exports the audit log of a period as signed JSON lines (`@liaison/domain`'s audit export), streamed a page of
 * entries at a time. The export is itself audited before it starts.
 */
@Injectable()
export class ExportAuditUseCase {
  private readonly keys: AuditExportKeys;

  constructor(
    private readonly audit: AuditReadRepository,
    private readonly trail: AuditTrail,
    @Inject(SERVICE_CONFIG) config: GatewayConfig,
  ) {
    this.keys = auditExportKeys(config.AUDIT_SEAL_KEY);
  }

  get publicKeyPem(): string {
    return this.keys.publicKeyPem;
  }

  async export(from: Date, to: Date, caller: Caller, correlationId: string): Promise<Readable> {
    if (to.getTime() < from.getTime()) throw ApplicationError.field('to', 'must not be before from');
    if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000)
      throw ApplicationError.field('to', `an export covers at most ${MAX_DAYS} days; export longer periods in parts`);
    await this.trail.record(
      caller,
      {
        action: 'audit.exported',
        objectType: 'audit',
        objectId: 'audit-log',
        detail: `${from.toISOString()}/${to.toISOString()}`,
      },
      correlationId,
    );
    const span = await this.audit.span(from, to);
    const start = span?.after ?? { seq: 0, hash: AUDIT_GENESIS_HASH };
    const lastSeq = span?.lastSeq ?? start.seq;
    const signer = new AuditExportSigner(this.keys.privateKey);
    const audit = this.audit;
    const publicKeyPem = this.keys.publicKeyPem;
    async function* lines(): AsyncGenerator<string> {
      yield signer.add(
        auditExportHeaderLine({
          from,
          to,
          exportedAt: new Date(),
          afterSeq: start.seq,
          afterHash: start.hash,
          publicKeyPem,
        }),
      );
      for (let after = start.seq; ;) {
        const page = await audit.chainAfter(after, lastSeq, PAGE);
        if (page.length === 0) break;
        yield page.map((entry) => signer.add(auditExportEntryLine(entry))).join('');
        after = page[page.length - 1].seq;
      }
      yield signer.signatureLine();
    }
    return Readable.from(lines());
  }
}
