import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { CaseRestrictionChangedSchema, Topics } from '@liaison/contracts';
import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { CommandPublisher } from '../application/command-publisher';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ErasureRepository } from './erasure.repository';

export interface RestrictionView {
  reference: string;
  reason: string;
  placedAt: string;
}

/**
 * Restriction of processing (Directive (EU) 2016/680 Art. 16(3)): a restricted case is kept, but takes no part in
 * matching, takes no new messages, is left out of every list, and only its owner's supervisors can read it; to
 * anyone else it is as if it did not exist. Placing and lifting are audited before they take effect, and announced
 * (CaseRestrictionChanged) so the matcher withdraws the case's matches, or matches it again. Both are idempotent:
 * asking again announces again, so a request that failed half way is finished by its retry.
 */
@Injectable()
export class CaseRestrictions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly erasures: ErasureRepository,
    private readonly audit: AuditTrail,
    private readonly commands: CommandPublisher,
  ) {}

  async restrict(
    reference: string,
    reason: string,
    caller: Caller,
    correlationId: string,
  ): Promise<{ view: RestrictionView; placed: boolean }> {
    const owner = await this.owned(reference, caller);
    const existing = await this.find(reference);
    const at = new Date();
    if (!existing)
      await this.audit.record(
        caller,
        { action: 'case.restricted', objectType: 'case', objectId: reference },
        correlationId,
      );
    const placed = await queryReturning(
      this.dataSource,
      `INSERT INTO case_restrictions (case_reference, reason, placed_by_type, placed_by_id, placed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (case_reference) DO NOTHING RETURNING case_reference`,
      [reference, reason, caller.type, caller.id, at],
    );
    await this.announce(reference, owner, true, caller, correlationId, at);
    const row = (await this.find(reference))!;
    return { view: row, placed: placed.length > 0 };
  }

  async lift(reference: string, caller: Caller, correlationId: string): Promise<void> {
    const owner = await this.owned(reference, caller);
    const at = new Date();
    if (await this.find(reference)) {
      await this.audit.record(
        caller,
        { action: 'case.restriction-lifted', objectType: 'case', objectId: reference },
        correlationId,
      );
      await this.dataSource.query('DELETE FROM case_restrictions WHERE case_reference = $1', [reference]);
    }
    await this.announce(reference, owner, false, caller, correlationId, at);
  }

  /** The case's restriction, or null. */
  async find(reference: string): Promise<RestrictionView | null> {
    const rows: { reason: string; placed_at: Date }[] = await this.dataSource.query(
      'SELECT reason, placed_at FROM case_restrictions WHERE case_reference = $1',
      [reference],
    );
    return rows[0] ? { reference, reason: rows[0].reason, placedAt: rows[0].placed_at.toISOString() } : null;
  }

  /** The owner of a case the caller's agency owns (and that is not erased); a 404 otherwise. */
  private async owned(reference: string, caller: Caller): Promise<string> {
    const subject = await this.erasures.subject(reference);
    if (!subject || subject.ownerAgency !== caller.agency || subject.erasure)
      throw new ApplicationError(ErrorCode.NotFound, `no case ${reference} owned by ${caller.agency}`);
    return subject.ownerAgency;
  }

  private async announce(
    reference: string,
    owner: string,
    restricted: boolean,
    caller: Caller,
    correlationId: string,
    at: Date,
  ): Promise<void> {
    await this.commands.publish(Topics.caseRestrictionChanged, [
      {
        key: reference,
        correlationId,
        payload: create(CaseRestrictionChangedSchema, {
          caseReference: reference,
          ownerAgency: owner,
          restricted,
          changedByKeyId: caller.id,
          changedAt: timestampFromDate(at),
        }),
      },
    ]);
  }
}
