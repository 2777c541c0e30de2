import type { JitChanged } from '@liaison/contracts';
import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JitRepository } from './jit.repository';

/** Every agency a change names; all must be in the register for it to apply. */
function agenciesNamed(event: JitChanged): string[] {
  const change = event.change;
  if (change.case === 'created') return [event.byAgency, ...change.value.parties.flatMap((p) => p.agencies)];
  if (change.case === 'memberAdded') return [event.byAgency, change.value.agency];
  return [event.byAgency];
}

/**
 * Applies JIT changes in the order they were made, in one transaction. Each is applied only when it is allowed at
 * that point (the lead manages membership and extensions, members record meetings, a case's owner links it) and
 * every agency it names is in the register; applying a change twice leaves the same state. Returns how many
 * changed something, and how many named an agency not in the register.
 */
@Injectable()
export class ApplyJitChangesUseCase {
  constructor(
    private readonly jits: JitRepository,
    private readonly agencies: AgencyRepository,
  ) {}

  async run(changes: readonly { change: JitChanged; at: Date }[]): Promise<{ applied: number; unknown: number }> {
    const register = await this.agencies.findMany(
      [...new Set(changes.flatMap(({ change }) => agenciesNamed(change)))],
      {
        fresh: true,
      },
    );
    const known = changes.filter(({ change }) => agenciesNamed(change).every((code) => register.has(code)));
    const applied = await this.jits.transaction(async (manager) => {
      let count = 0;
      for (const { change, at } of known) if (await this.apply(manager, change, at)) count += 1;
      return count;
    });
    return { applied, unknown: changes.length - known.length };
  }

  private async apply(manager: EntityManager, event: JitChanged, at: Date): Promise<boolean> {
    const { jitId, byAgency, change } = event;
    switch (change.case) {
      case 'created':
        return this.jits.create(manager, {
          jitId,
          name: change.value.name,
          leadAgency: byAgency,
          startsOn: change.value.startsOn,
          endsOn: change.value.endsOn,
          eurojust: change.value.eurojust,
          europol: change.value.europol,
          fundingReference: change.value.fundingReference || null,
          members: change.value.parties.flatMap((party) =>
            party.agencies.map((agency) => ({ agency, country: party.country })),
          ),
          at,
        });
      case 'extended':
        return this.jits.extend(manager, jitId, byAgency, change.value.endsOn);
      case 'memberAdded':
        return this.jits.addMember(manager, jitId, byAgency, change.value, at);
      case 'memberRemoved':
        return this.jits.removeMember(manager, jitId, byAgency, change.value.agency, at);
      case 'caseLinked':
        return this.jits.linkCase(manager, jitId, byAgency, change.value.caseReference);
      case 'meetingRecorded':
        return this.jits.recordMeeting(manager, jitId, byAgency, { ...change.value, at });
      case undefined:
        // A change of a kind this router does not know (a newer producer): nothing to apply.
        return false;
    }
  }
}
