import type { Classification } from '@liaison/domain';
import { AgencyRepository, type AgencyEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';

/**
 * Sets the highest classification an agency may receive. The change is audited before it is made; every
 * service reads the register again within ten seconds.
 */
@Injectable()
export class SetClearanceUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(code: string, clearance: Classification, caller: Caller, correlationId: string): Promise<AgencyEntity> {
    if (!(await this.agencies.find(code))) throw new ApplicationError(ErrorCode.NotFound, `no agency ${code}`);
    await this.audit.record(
      caller,
      { action: 'agency.clearance-changed', objectType: 'agency', objectId: code, detail: clearance },
      correlationId,
    );
    const agency = await this.agencies.setClearance(code, clearance);
    if (!agency) throw new ApplicationError(ErrorCode.NotFound, `no agency ${code}`);
    return agency;
  }
}
