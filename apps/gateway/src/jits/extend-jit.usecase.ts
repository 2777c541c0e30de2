import { extensionProblem } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import type { Caller } from '../auth/caller';
import { JitAccess } from './jit-access';
import { JitChanges } from './jit-changes';
import { JitReadRepository } from './jit-read.repository';

/** Moves the end of a team's agreed period later (its lead agency only). */
@Injectable()
export class ExtendJitUseCase {
  constructor(
    private readonly access: JitAccess,
    private readonly changes: JitChanges,
    private readonly jits: JitReadRepository,
  ) {}

  async execute(id: string, endsOn: string, caller: Caller, correlationId: string): Promise<void> {
    const jit = await this.access.led(id, caller);
    const problem = extensionProblem(jit.ends_on, endsOn);
    if (problem) throw ApplicationError.validation([{ field: 'endsOn', message: problem }], ErrorCode.InvalidJit);
    await this.changes.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      { case: 'extended', value: { $typeName: 'liaison.v1.JitExtended', endsOn } },
      `extended to ${endsOn}`,
    );
    await settle(
      () => this.jits.find(id, caller.agency),
      (row) => row?.ends_on === endsOn,
    );
  }
}
