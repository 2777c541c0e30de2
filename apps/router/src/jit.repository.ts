import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * The router's writes to JITs. Each change is applied only when it is allowed at that point (the lead
 * manages membership and extensions, members record meetings, a case's owner links it), and applying a
 * change twice leaves the same state: redelivered events change nothing.
 */
@Injectable()
export class JitRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Creates a team with its members; false when it exists. */
  async create(
    manager: EntityManager,
    jit: {
      jitId: string;
      name: string;
      leadAgency: string;
      startsOn: string;
      endsOn: string;
      eurojust: boolean;
      europol: boolean;
      fundingReference: string | null;
      members: readonly { agency: string; country: string }[];
      at: Date;
    },
  ): Promise<boolean> {
    const created: unknown[] = await manager.query(
      `INSERT INTO jits (id, name, lead_agency, starts_on, ends_on, eurojust, europol, funding_reference, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
      [
        jit.jitId,
        jit.name,
        jit.leadAgency,
        jit.startsOn,
        jit.endsOn,
        jit.eurojust,
        jit.europol,
        jit.fundingReference,
        jit.at,
      ],
    );
    await manager.query(
      `INSERT INTO jit_members (jit_id, agency_code, party_country, joined_at)
       SELECT $1, m.agency, m.country, $4 FROM unnest($2::text[], $3::text[]) AS m(agency, country) ON CONFLICT DO NOTHING`,
      [jit.jitId, jit.members.map((m) => m.agency), jit.members.map((m) => m.country), jit.at],
    );
    return created.length > 0;
  }

  /** Only the lead extends, and only later. */
  extend(manager: EntityManager, jitId: string, byAgency: string, endsOn: string): Promise<boolean> {
    return this.changed(
      manager,
      `UPDATE jits SET ends_on = $3 WHERE id = $1 AND lead_agency = $2 AND ends_on < $3 RETURNING id`,
      [jitId, byAgency, endsOn],
    );
  }

  /** Only the lead adds members; a member who left may rejoin. */
  addMember(
    manager: EntityManager,
    jitId: string,
    byAgency: string,
    member: { agency: string; country: string },
    at: Date,
  ): Promise<boolean> {
    return this.changed(
      manager,
      `INSERT INTO jit_members (jit_id, agency_code, party_country, joined_at)
       SELECT j.id, $3, $4, $5 FROM jits j WHERE j.id = $1 AND j.lead_agency = $2
       ON CONFLICT (jit_id, agency_code) DO UPDATE SET left_at = NULL, party_country = EXCLUDED.party_country, joined_at = EXCLUDED.joined_at
       WHERE jit_members.left_at IS NOT NULL
       RETURNING jit_id`,
      [jitId, byAgency, member.agency, member.country, at],
    );
  }

  /** Only the lead removes members, never itself. */
  removeMember(manager: EntityManager, jitId: string, byAgency: string, agency: string, at: Date): Promise<boolean> {
    return this.changed(
      manager,
      `UPDATE jit_members m SET left_at = $4 FROM jits j
        WHERE j.id = m.jit_id AND m.jit_id = $1 AND j.lead_agency = $2 AND m.agency_code = $3 AND m.agency_code <> j.lead_agency AND m.left_at IS NULL
        RETURNING m.jit_id`,
      [jitId, byAgency, agency, at],
    );
  }

  /** A case's owner links it, while a member of the team. */
  linkCase(manager: EntityManager, jitId: string, byAgency: string, caseReference: string): Promise<boolean> {
    return this.changed(
      manager,
      `UPDATE cases c SET jit_id = $1
        WHERE c.reference = $3 AND c.owner_agency = $2 AND c.jit_id IS DISTINCT FROM $1
          AND EXISTS (SELECT 1 FROM jit_members m WHERE m.jit_id = $1 AND m.agency_code = $2 AND m.left_at IS NULL)
        RETURNING c.reference`,
      [jitId, byAgency, caseReference],
    );
  }

  /** Current members record meetings. */
  recordMeeting(
    manager: EntityManager,
    jitId: string,
    byAgency: string,
    meeting: {
      meetingId: string;
      heldOn: string;
      place: string;
      participants: readonly string[];
      fundedBy: string;
      at: Date;
    },
  ): Promise<boolean> {
    return this.changed(
      manager,
      `INSERT INTO jit_meetings (id, jit_id, held_on, place, participants, funded_by, recorded_by_agency, recorded_at)
       SELECT $3, $1, $4, $5, $6, $7, $2, $8
        WHERE EXISTS (SELECT 1 FROM jit_members m WHERE m.jit_id = $1 AND m.agency_code = $2 AND m.left_at IS NULL)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        jitId,
        byAgency,
        meeting.meetingId,
        meeting.heldOn,
        meeting.place,
        meeting.participants,
        meeting.fundedBy,
        meeting.at,
      ],
    );
  }

  private async changed(manager: EntityManager, sql: string, params: unknown[]): Promise<boolean> {
    const rows = await queryReturning(manager, sql, params);
    return rows.length > 0;
  }
}
