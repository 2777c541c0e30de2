import type { JitChanged } from '@liaison/contracts';
import { utcDay } from '@liaison/common';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JitStateRepository } from './jit-state.repository';
import { TrackerStore } from './tracker.store';

/** Looks up agencies' countries (the register is cached; an agency no longer in it has none). */
export type CountryOf = (agency: string) => string;

/** A team change as the tracker counts it, at the time it happened. */
export interface CountedJitChange {
  eventId: string;
  change: JitChanged;
  at: Date;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * Counts changes of joint investigation teams (created, extended, members, meetings) in one transaction per
 * batch with the ids of the events counted, in the order they happened. Returns how many were new.
 */
@Injectable()
export class CountJitChangesUseCase {
  constructor(
    private readonly store: TrackerStore,
    private readonly jits: JitStateRepository,
  ) {}

  run(changes: readonly CountedJitChange[], countryOf: CountryOf): Promise<number> {
    return this.store.once(
      changes.map((c) => c.eventId),
      async (manager, fresh) => {
        const seen = new Set<string>();
        for (const { eventId, change, at } of changes) {
          if (!fresh.has(eventId) || seen.has(eventId)) continue;
          seen.add(eventId);
          await this.apply(manager, change, at, countryOf);
        }
      },
    );
  }

  private async apply(manager: EntityManager, event: JitChanged, at: Date, countryOf: CountryOf): Promise<void> {
    const { jitId, byAgency, change } = event;
    switch (change.case) {
      case 'created':
        return this.jits.create(manager, {
          jitId,
          leadAgency: byAgency,
          leadCountry: countryOf(byAgency),
          members: sorted([byAgency, ...change.value.parties.flatMap((party) => party.agencies)]),
          countries: sorted([countryOf(byAgency), ...change.value.parties.map((party) => party.country)]),
          createdOn: utcDay(at),
          startsOn: change.value.startsOn,
          endsOn: change.value.endsOn,
        });
      case 'extended':
        return this.jits.extend(manager, jitId, byAgency, change.value.endsOn);
      case 'memberAdded':
        return this.jits.addMember(manager, jitId, byAgency, change.value);
      case 'memberRemoved':
        return this.jits.removeMember(manager, jitId, byAgency, change.value.agency);
      case 'meetingRecorded':
        return this.jits.recordMeeting(manager, jitId, byAgency, {
          meetingId: change.value.meetingId,
          heldOn: change.value.heldOn,
          calledByCountry: countryOf(byAgency),
          countries: sorted([byAgency, ...change.value.participants].map(countryOf).filter((c) => c !== '')),
        });
      case 'caseLinked':
      case undefined:
        // Linking a case changes no figure; a change of an unknown kind (a newer producer) is not counted.
        return;
    }
  }
}
