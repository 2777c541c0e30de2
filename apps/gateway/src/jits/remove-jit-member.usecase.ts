import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import type { Caller } from '../auth/caller';
import { JitAccess } from './jit-access';
import { JitChanges } from './jit-changes';
import { JitReadRepository } from './jit-read.repository';

/** Takes a member out of a team (its lead agency only; the lead cannot leave). */
@Injectable()
export class RemoveJitMemberUseCase {
  constructor(
    private readonly access: JitAccess,
    private readonly changes: JitChanges,
    private readonly jits: JitReadRepository,
  ) {}

  async execute(id: string, agency: string, caller: Caller, correlationId: string): Promise<void> {
    const jit = await this.access.led(id, caller);
    if (agency === jit.lead_agency)
      throw new ApplicationError(ErrorCode.InvalidJit, 'the lead agency cannot leave the team it leads');
    if (!(await this.jits.members(id)).some((m) => m.code === agency && m.left_at === null)) {
      throw new ApplicationError(ErrorCode.NotFound, `${agency} is not a member of this team`);
    }
    await this.changes.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      { case: 'memberRemoved', value: { $typeName: 'liaison.v1.JitMemberRemoved', agency } },
      `member removed ${agency}`,
    );
    await settle(
      () => this.jits.members(id),
      (members) => members.some((m) => m.code === agency && m.left_at !== null),
    );
  }
}
