import type { JitChanged } from '@liaison/contracts';
import { utcDay } from '@liaison/domain';
import type { EntityManager } from 'typeorm';

/** Looks up agencies' countries (the register is cached; an agency no longer in it has none). */
export type CountryOf = (agency: string) => string;

/**
 * Applies JIT changes to the teams and meetings reports count, with the router's rules: the lead extends the
 * agreement and manages membership, current members record meetings. A change the router refuses is not
 * counted, and applying a change twice leaves the same state.
 */
export async function applyJitChange(
  manager: EntityManager,
  event: JitChanged,
  at: Date,
  countryOf: CountryOf,
): Promise<void> {
  const { jitId, byAgency } = event;
  const change = event.change;
  switch (change.case) {
    case 'created': {
      const members = [...new Set([byAgency, ...change.value.parties.flatMap((party) => party.agencies)])].sort();
      const countries = [
        ...new Set([countryOf(byAgency), ...change.value.parties.map((party) => party.country)]),
      ].sort();
      await manager.query(
        `INSERT INTO report_jits (jit_id, lead_agency, lead_country, members, countries, created_on, starts_on, ends_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          jitId,
          byAgency,
          countryOf(byAgency),
          members,
          countries,
          utcDay(at),
          change.value.startsOn,
          change.value.endsOn,
        ],
      );
      return;
    }
    case 'extended':
      await manager.query(
        'UPDATE report_jits SET ends_on = $3 WHERE jit_id = $1 AND lead_agency = $2 AND ends_on < $3',
        [jitId, byAgency, change.value.endsOn],
      );
      return;
    case 'memberAdded':
      await manager.query(
        `UPDATE report_jits SET members = ARRAY(SELECT DISTINCT unnest(members || $3::text) ORDER BY 1),
                countries = ARRAY(SELECT DISTINCT unnest(countries || $4::text) ORDER BY 1)
          WHERE jit_id = $1 AND lead_agency = $2`,
        [jitId, byAgency, change.value.agency, change.value.country],
      );
      return;
    case 'memberRemoved':
      await manager.query(
        'UPDATE report_jits SET members = array_remove(members, $3) WHERE jit_id = $1 AND lead_agency = $2 AND $3 <> lead_agency',
        [jitId, byAgency, change.value.agency],
      );
      return;
    case 'meetingRecorded': {
      const countries = [
        ...new Set([byAgency, ...change.value.participants].map(countryOf).filter((c) => c !== '')),
      ].sort();
      await manager.query(
        `INSERT INTO report_jit_meetings (meeting_id, jit_id, held_on, called_by_country, countries)
         SELECT $3, $1, $4, $5, $6 FROM report_jits j WHERE j.jit_id = $1 AND $2 = ANY(j.members)
         ON CONFLICT DO NOTHING`,
        [jitId, byAgency, change.value.meetingId, change.value.heldOn, countryOf(byAgency), countries],
      );
      return;
    }
    case 'caseLinked':
    case undefined:
      // Linking a case changes no figure; a change of an unknown kind (a newer producer) is not counted.
      return;
  }
}
