import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A team as reports count it: its lead, members and countries, and its dates; never its name or cases. */
export interface TrackedJit {
  jitId: string;
  leadAgency: string;
  leadCountry: string;
  members: readonly string[];
  countries: readonly string[];
  createdOn: string;
  startsOn: string;
  endsOn: string;
}

/**
 * The teams and meetings reports count (`report_jits`, `report_jit_meetings`), changed with the router's rules:
 * the lead extends the agreement and manages membership, current members record meetings. A change the router
 * refuses changes nothing, and applying a change twice leaves the same state.
 */
@Injectable()
export class JitStateRepository {
  async create(manager: EntityManager, jit: TrackedJit): Promise<void> {
    await manager.query(
      `INSERT INTO report_jits (jit_id, lead_agency, lead_country, members, countries, created_on, starts_on, ends_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [jit.jitId, jit.leadAgency, jit.leadCountry, jit.members, jit.countries, jit.createdOn, jit.startsOn, jit.endsOn],
    );
  }

  async extend(manager: EntityManager, jitId: string, byAgency: string, endsOn: string): Promise<void> {
    await manager.query('UPDATE report_jits SET ends_on = $3 WHERE jit_id = $1 AND lead_agency = $2 AND ends_on < $3', [
      jitId,
      byAgency,
      endsOn,
    ]);
  }

  async addMember(
    manager: EntityManager,
    jitId: string,
    byAgency: string,
    member: { agency: string; country: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE report_jits SET members = ARRAY(SELECT DISTINCT unnest(members || $3::text) ORDER BY 1),
              countries = ARRAY(SELECT DISTINCT unnest(countries || $4::text) ORDER BY 1)
        WHERE jit_id = $1 AND lead_agency = $2`,
      [jitId, byAgency, member.agency, member.country],
    );
  }

  /** The lead is never removed. */
  async removeMember(manager: EntityManager, jitId: string, byAgency: string, agency: string): Promise<void> {
    await manager.query(
      'UPDATE report_jits SET members = array_remove(members, $3) WHERE jit_id = $1 AND lead_agency = $2 AND $3 <> lead_agency',
      [jitId, byAgency, agency],
    );
  }

  /** Recorded only when the recording agency is a member now. */
  async recordMeeting(
    manager: EntityManager,
    jitId: string,
    byAgency: string,
    meeting: { meetingId: string; heldOn: string; calledByCountry: string; countries: readonly string[] },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO report_jit_meetings (meeting_id, jit_id, held_on, called_by_country, countries)
       SELECT $3, $1, $4, $5, $6 FROM report_jits j WHERE j.jit_id = $1 AND $2 = ANY(j.members)
       ON CONFLICT DO NOTHING`,
      [jitId, byAgency, meeting.meetingId, meeting.heldOn, meeting.calledByCountry, meeting.countries],
    );
  }
}
