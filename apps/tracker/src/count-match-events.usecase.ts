import {
  applyMatchEvent,
  blankMatch,
  factChange,
  MATCH_COUNT_FIELDS,
  MATCH_CUBES,
  matchFacts,
  type MatchEvent,
  type MatchFact,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { MatchStateRepository } from './match-state.repository';
import { ReportCubeRepository } from './report-cube.repository';
import { TrackerStore } from './tracker.store';

const factKey = (r: MatchFact) => [r.day, r.country, r.partnerCountry, r.entityType, r.strength];

/**
 * Applies match events (found, decided) to the matches' states and moves the figures by the difference, in one
 * transaction per batch with the ids of the events counted. Returns how many events were new.
 */
@Injectable()
export class CountMatchEventsUseCase {
  constructor(
    private readonly store: TrackerStore,
    private readonly matches: MatchStateRepository,
    private readonly cubes: ReportCubeRepository,
  ) {}

  run(events: readonly (MatchEvent & { eventId: string })[]): Promise<number> {
    return this.store.once(
      events.map((e) => e.eventId),
      async (manager, fresh) => {
        const counted = [...new Map(events.filter((e) => fresh.has(e.eventId)).map((e) => [e.eventId, e])).values()];
        if (counted.length === 0) return;
        const firstOf = new Map<string, MatchEvent>();
        for (const event of counted) if (!firstOf.has(event.matchId)) firstOf.set(event.matchId, event);
        const before = new Map(
          (await this.matches.lock(manager, [...firstOf.values()].map(blankMatch))).map((m) => [m.matchId, m]),
        );
        const after = new Map(before);
        for (const event of counted) after.set(event.matchId, applyMatchEvent(after.get(event.matchId)!, event));
        const changed = [...after.values()].filter((match) => match !== before.get(match.matchId));
        if (changed.length === 0) return;
        await this.matches.save(manager, changed);
        const change = factChange(
          changed.flatMap((match) => matchFacts(before.get(match.matchId)!)),
          changed.flatMap((match) => matchFacts(match)),
          factKey,
          MATCH_COUNT_FIELDS,
        );
        await this.cubes.add(manager, MATCH_CUBES, change);
      },
    );
  }
}
