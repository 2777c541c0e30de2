import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import type { Caller } from '../auth/caller';
import { JitReadRepository, type JitRow } from './jit-read.repository';

/** Who may see and change a team: its current members see it, its lead agency manages it. */
@Injectable()
export class JitAccess {
  constructor(private readonly jits: JitReadRepository) {}

  /** The JIT if the caller's agency is a current member; 404 otherwise (existence is not disclosed). */
  async member(id: string, caller: Caller): Promise<JitRow> {
    const jit = await this.jits.find(id, caller.agency);
    if (!jit)
      throw new ApplicationError(
        ErrorCode.NotFound,
        `no joint investigation team ${id} of which ${caller.agency} is a member`,
      );
    return jit;
  }

  /** The JIT if the caller's agency leads it; 403 for another member, 404 for anyone else. */
  async led(id: string, caller: Caller): Promise<JitRow> {
    const jit = await this.member(id, caller);
    if (jit.lead_agency !== caller.agency)
      throw new ApplicationError(
        ErrorCode.Forbidden,
        `only the lead agency ${jit.lead_agency} manages the team's membership and period`,
      );
    return jit;
  }
}
