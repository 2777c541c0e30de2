import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import type { Caller } from '../auth/caller';
import { JitAccess } from './jit-access';
import { JitChanges } from './jit-changes';
import { JitReadRepository } from './jit-read.repository';

/** Links a case the caller's agency owns to a team it is a member of; a case belongs to one team at most. */
@Injectable()
export class LinkJitCaseUseCase {
  constructor(
    private readonly access: JitAccess,
    private readonly changes: JitChanges,
    private readonly jits: JitReadRepository,
  ) {}

  async execute(id: string, caseReference: string, caller: Caller, correlationId: string): Promise<void> {
    await this.access.member(id, caller);
    const found = await this.jits.caseJit(caseReference);
    const unlinkable = (message: string) =>
      new ApplicationError(ErrorCode.CaseNotAccessible, `caseReference: ${message}`, [
        { field: 'caseReference', message },
      ]);
    if (!found || found.owner !== caller.agency) throw unlinkable(`no case ${caseReference} owned by ${caller.agency}`);
    if (found.jitId === id) return;
    if (found.jitId !== null) throw unlinkable(`case ${caseReference} is linked to another joint investigation team`);
    await this.changes.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      { case: 'caseLinked', value: { $typeName: 'liaison.v1.JitCaseLinked', caseReference } },
      `case linked ${caseReference}`,
    );
    await settle(
      () => this.jits.caseJit(caseReference),
      (row) => row?.jitId === id,
    );
  }
}
