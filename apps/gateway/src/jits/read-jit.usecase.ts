import { utcDay } from '@liaison/common';
import { jitStatus } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { JitAccess } from './jit-access';
import { JitReadRepository, type JitRow } from './jit-read.repository';
import type { JitSummaryView, JitView, MeetingView } from './jit.views';

function summary(row: JitRow): JitSummaryView {
  return {
    id: row.id,
    name: row.name,
    lead: row.lead_agency,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    status: jitStatus({ startsOn: row.starts_on, endsOn: row.ends_on }, utcDay(new Date())),
    eurojust: row.eurojust,
    europol: row.europol,
    fundingReference: row.funding_reference,
  };
}

/** Joint investigation teams as their current members see them, for the API and the console alike. */
@Injectable()
export class ReadJitUseCase {
  constructor(
    private readonly jits: JitReadRepository,
    private readonly access: JitAccess,
  ) {}

  /** Teams the caller's agency is a current member of. */
  async list(caller: Caller): Promise<JitSummaryView[]> {
    return (await this.jits.list(caller.agency)).map(summary);
  }

  /** A team the caller's agency is a current member of (any other is a 404): members, linked cases. */
  async get(id: string, caller: Caller): Promise<JitView> {
    const jit = await this.access.member(id, caller);
    const [members, cases, meetings] = await Promise.all([
      this.jits.members(id),
      this.jits.linkedCases(id),
      this.jits.meetings(id),
    ]);
    return {
      ...summary(jit),
      members: members.map((m) => ({
        code: m.code,
        name: m.name,
        party: m.party,
        joinedAt: m.joined_at.toISOString(),
        leftAt: m.left_at?.toISOString() ?? null,
      })),
      cases,
      meetings: meetings.length,
    };
  }

  async meetings(id: string, caller: Caller): Promise<MeetingView[]> {
    await this.access.member(id, caller);
    return (await this.jits.meetings(id)).map((m) => ({
      id: m.id,
      heldOn: m.held_on,
      place: m.place,
      participants: m.participants,
      fundedBy: m.funded_by,
      recordedBy: m.recorded_by_agency,
      recordedAt: m.recorded_at.toISOString(),
    }));
  }
}
