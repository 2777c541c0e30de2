import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../gateway.config';
import { AuditCheckpointReader, type NewestCheckpoint } from './audit-checkpoint.reader';
import { AuditReadRepository, type AuditVerification } from './audit-read.repository';

export interface AuditVerificationResult extends AuditVerification {
  checkpoint: NewestCheckpoint | null;
  verifiedAt: Date;
}

/**
 * Verifies the audit log: every entry's seal with the key the database does not hold, then the log's end
 * against the newest checkpoint kept outside PostgreSQL. The checkpoint is read first, since the chain only
 * grows while it is walked.
 */
@Injectable()
export class VerifyAuditUseCase {
  constructor(
    private readonly checkpoints: AuditCheckpointReader,
    private readonly audit: AuditReadRepository,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute(): Promise<AuditVerificationResult> {
    const checkpoint = await this.checkpoints.newest();
    const verification = await this.audit.verify(this.config.AUDIT_SEAL_KEY, checkpoint?.checkpoint ?? null);
    return { ...verification, checkpoint, verifiedAt: new Date() };
  }
}
