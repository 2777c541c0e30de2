import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import type { Caller } from '../auth/caller';
import { JitAccess } from './jit-access';
import { JitChanges } from './jit-changes';
import { JitReadRepository } from './jit-read.repository';
import type { AddMemberDto } from './jit.dto';

/** Adds an agency of the register to a team (its lead agency only). */
@Injectable()
export class AddJitMemberUseCase {
  constructor(
    private readonly access: JitAccess,
    private readonly agencies: AgencyRepository,
    private readonly changes: JitChanges,
    private readonly jits: JitReadRepository,
  ) {}

  async execute(id: string, request: AddMemberDto, caller: Caller, correlationId: string): Promise<void> {
    await this.access.led(id, caller);
    const agency = await this.agencies.find(request.agency);
    if (!agency)
      throw new ApplicationError(ErrorCode.UnknownAgency, `agency: unknown agency ${request.agency}`, [
        { field: 'agency', message: `unknown agency ${request.agency}` },
      ]);
    const current = (await this.jits.members(id)).find((m) => m.code === request.agency && m.left_at === null);
    if (current)
      throw new ApplicationError(ErrorCode.InvalidJit, `agency: ${request.agency} is already a member`, [
        { field: 'agency', message: `${request.agency} is already a member` },
      ]);
    await this.changes.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      {
        case: 'memberAdded',
        value: { $typeName: 'liaison.v1.JitMemberAdded', agency: agency.code, country: agency.country },
      },
      `member added ${agency.code}`,
    );
    await settle(
      () => this.jits.members(id),
      (members) => members.some((m) => m.code === agency.code && m.left_at === null),
    );
  }
}
