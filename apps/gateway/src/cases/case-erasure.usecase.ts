import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { CaseErasedSchema, derivedEventId, erasureGroundCodec, Topics } from '@liaison/contracts';
import {
  describeErasureRefusal,
  erasureRefusal,
  ERASURE_PARTS,
  partsPending,
  type ErasureGround,
  type PrincipalType,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { CommandPublisher } from '../application/command-publisher';
import { AttachmentStore } from '../attachments/attachment-store';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ErasureRepository, type ErasureRow, type ErasureSubject } from './erasure.repository';
import type { ErasureView, HoldView } from './case.views';

/**
 * Erasure of a case and the legal hold that prevents it. Erasing destroys the case's key at once (so every sealed
 * copy, wherever it is, can no longer be read), then tells every service through CaseErased to delete its own
 * copies; the gateway deletes its own (attachment files, uploads, drafts). What is not finished when the request
 * ends (the broker away, the gateway killed) is finished by `carryOn`, which the ErasureSweeper calls until every
 * part has reported. Erasing twice is one erasure.
 */
@Injectable()
export class CaseErasureUseCase {
  constructor(
    private readonly erasures: ErasureRepository,
    private readonly commands: CommandPublisher,
    private readonly audit: AuditTrail,
    private readonly store: AttachmentStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CaseErasureUseCase.name);
  }

  async erase(reference: string, ground: ErasureGround, caller: Caller, correlationId: string): Promise<ErasureView> {
    const subject = await this.ownedSubject(reference, caller);
    if (subject.erasure) return this.view(await this.carryOn(subject.erasure, correlationId));
    const refusal = erasureRefusal(subject, caller.agency);
    if (refusal) throw new ApplicationError(ErrorCode.CaseHeld, describeErasureRefusal(reference, refusal));
    const erasure = await this.erasures.begin(reference, subject.ownerAgency, ground, caller, new Date());
    this.logger.info({ caseReference: reference, ground }, 'case key destroyed');
    return this.view(await this.carryOn(erasure, correlationId));
  }

  async status(reference: string, caller: Caller): Promise<ErasureView> {
    const subject = await this.ownedSubject(reference, caller);
    if (!subject.erasure) throw new ApplicationError(ErrorCode.NotFound, `case ${reference} has not been erased`);
    return this.view(await this.completedIfDone(subject.erasure));
  }

  /**
   * Takes an erasure as far as the gateway can: CaseErased and its audit entry published (under ids of their own,
   * so a repeat is applied once), the gateway's copies deleted, and the erasure marked complete once every part
   * has reported. Returns it as it then stands.
   */
  async carryOn(erasure: ErasureRow, correlationId: string): Promise<ErasureRow> {
    const reference = erasure.case_reference;
    if (!erasure.published_at) {
      await Promise.all([
        this.commands.publish(Topics.caseErased, [this.erasedEvent(erasure, correlationId)]),
        this.commands.publish(Topics.auditRecorded, [
          {
            ...this.audit.event(
              {
                type: erasure.requested_by_type as PrincipalType,
                id: erasure.requested_by_id,
                agency: erasure.owner_agency,
                role: 'supervisor',
              },
              { action: 'case.erased', objectType: 'case', objectId: reference, detail: erasure.ground },
              correlationId,
            ),
            eventId: derivedEventId('audit', 'case.erased', reference),
          },
        ]),
      ]);
      await this.erasures.markPublished(reference, new Date());
    }
    const done = erasure.parts.map((p) => p.part);
    if (!done.includes('gateway')) {
      const { files, clear } = await this.erasures.eraseOwnRows(erasure);
      for (const file of files) await this.store.remove(file);
      for (const sha256 of clear) await this.store.removeClear(sha256);
      await this.erasures.recordPart(reference, 'gateway', new Date());
    }
    return this.completedIfDone((await this.erasures.find(reference))!);
  }

  /** The erasure, marked complete if every part has reported since it was read. */
  private async completedIfDone(erasure: ErasureRow): Promise<ErasureRow> {
    if (erasure.completed_at || partsPending(erasure.parts.map((p) => p.part)).length > 0) return erasure;
    await this.erasures.markCompleted(erasure.case_reference, new Date());
    this.logger.info({ caseReference: erasure.case_reference }, 'case erased everywhere');
    return (await this.erasures.find(erasure.case_reference))!;
  }

  async placeHold(reference: string, reason: string, caller: Caller, correlationId: string): Promise<HoldView> {
    const subject = await this.ownedSubject(reference, caller);
    if (subject.erasure) throw new ApplicationError(ErrorCode.NotFound, `case ${reference} has been erased`);
    if (subject.hold)
      throw new ApplicationError(
        ErrorCode.CaseHeld,
        `case ${reference} is already under a legal hold placed ${subject.hold.placedAt.toISOString()}`,
      );
    const at = new Date();
    // Recorded before it is placed: a hold is never in force unaudited.
    await this.audit.record(
      caller,
      { action: 'case.hold-placed', objectType: 'case', objectId: reference },
      correlationId,
    );
    if (!(await this.erasures.placeHold(reference, reason, caller, at)))
      throw new ApplicationError(ErrorCode.CaseHeld, `case ${reference} is already under a legal hold`);
    return { reference, reason, placedAt: at.toISOString() };
  }

  async releaseHold(reference: string, caller: Caller, correlationId: string): Promise<void> {
    const subject = await this.ownedSubject(reference, caller);
    if (!subject.hold) throw new ApplicationError(ErrorCode.NotFound, `case ${reference} is not under a legal hold`);
    await this.audit.record(
      caller,
      { action: 'case.hold-released', objectType: 'case', objectId: reference },
      correlationId,
    );
    await this.erasures.releaseHold(reference);
  }

  /** The case if the caller's agency owns it; any other case is a 404, whether or not it exists. */
  private async ownedSubject(reference: string, caller: Caller): Promise<ErasureSubject> {
    const subject = await this.erasures.subject(reference);
    if (!subject || subject.ownerAgency !== caller.agency)
      throw new ApplicationError(ErrorCode.NotFound, `no case ${reference} owned by ${caller.agency}`);
    return subject;
  }

  private erasedEvent(erasure: ErasureRow, correlationId: string) {
    return {
      eventId: derivedEventId(Topics.caseErased, erasure.case_reference),
      key: erasure.case_reference,
      correlationId,
      payload: create(CaseErasedSchema, {
        caseReference: erasure.case_reference,
        ownerAgency: erasure.owner_agency,
        participants: erasure.participants,
        ground: erasureGroundCodec.toProto(erasure.ground),
        erasedByKeyId: erasure.requested_by_id,
        erasedAt: timestampFromDate(erasure.requested_at),
        attachmentSha256: erasure.attachment_sha256,
        attachmentFileIds: erasure.attachment_files,
      }),
    };
  }

  private view(erasure: ErasureRow): ErasureView {
    const done = new Map(erasure.parts.map((p) => [p.part, p.doneAt]));
    return {
      reference: erasure.case_reference,
      ground: erasure.ground,
      requestedAt: erasure.requested_at.toISOString(),
      complete: erasure.completed_at !== null,
      completedAt: erasure.completed_at?.toISOString() ?? null,
      parts: ERASURE_PARTS.map((part) => ({
        part,
        doneAt: done.has(part) ? new Date(done.get(part)!).toISOString() : null,
      })),
    };
  }
}
