import { queryReturning } from '@liaison/persistence';
import type { JitChanged } from '@liaison/contracts';
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

  /** Applies the changes in order in one transaction; returns how many changed something. */
  apply(changes: { change: JitChanged; at: Date }[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      let applied = 0;
      for (const { change, at } of changes) if (await this.applyOne(manager, change, at)) applied += 1;
      return applied;
    });
  }

  private async applyOne(manager: EntityManager, event: JitChanged, at: Date): Promise<boolean> {
    const { jitId, byAgency } = event;
    const change = event.change;
    switch (change.case) {
      case 'created': {
        const created: unknown[] = await manager.query(
          `INSERT INTO jits (id, name, lead_agency, starts_on, ends_on, eurojust, europol, funding_reference, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
          [
            jitId,
            change.value.name,
            byAgency,
            change.value.startsOn,
            change.value.endsOn,
            change.value.eurojust,
            change.value.europol,
            change.value.fundingReference || null,
            at,
          ],
        );
        const members = change.value.parties.flatMap((party) =>
          party.agencies.map((agency) => [agency, party.country] as const),
        );
        await manager.query(
          `INSERT INTO jit_members (jit_id, agency_code, party_country, joined_at)
           SELECT $1, m.agency, m.country, $4 FROM unnest($2::text[], $3::text[]) AS m(agency, country) ON CONFLICT DO NOTHING`,
          [jitId, members.map(([agency]) => agency), members.map(([, country]) => country), at],
        );
        return created.length > 0;
      }
      case 'extended':
        return this.changed(
          manager,
          `UPDATE jits SET ends_on = $3 WHERE id = $1 AND lead_agency = $2 AND ends_on < $3 RETURNING id`,
          [jitId, byAgency, change.value.endsOn],
        );
      case 'memberAdded':
        return this.changed(
          manager,
          `INSERT INTO jit_members (jit_id, agency_code, party_country, joined_at)
           SELECT j.id, $3, $4, $5 FROM jits j WHERE j.id = $1 AND j.lead_agency = $2
           ON CONFLICT (jit_id, agency_code) DO UPDATE SET left_at = NULL, party_country = EXCLUDED.party_country, joined_at = EXCLUDED.joined_at
           WHERE jit_members.left_at IS NOT NULL
           RETURNING jit_id`,
          [jitId, byAgency, change.value.agency, change.value.country, at],
        );
      case 'memberRemoved':
        return this.changed(
          manager,
          `UPDATE jit_members m SET left_at = $4 FROM jits j
            WHERE j.id = m.jit_id AND m.jit_id = $1 AND j.lead_agency = $2 AND m.agency_code = $3 AND m.agency_code <> j.lead_agency AND m.left_at IS NULL
            RETURNING m.jit_id`,
          [jitId, byAgency, change.value.agency, at],
        );
      case 'caseLinked':
        return this.changed(
          manager,
          `UPDATE cases c SET jit_id = $1
            WHERE c.reference = $3 AND c.owner_agency = $2 AND c.jit_id IS DISTINCT FROM $1
              AND EXISTS (SELECT 1 FROM jit_members m WHERE m.jit_id = $1 AND m.agency_code = $2 AND m.left_at IS NULL)
            RETURNING c.reference`,
          [jitId, byAgency, change.value.caseReference],
        );
      case 'meetingRecorded':
        return this.changed(
          manager,
          `INSERT INTO jit_meetings (id, jit_id, held_on, place, participants, funded_by, recorded_by_agency, recorded_at)
           SELECT $3, $1, $4, $5, $6, $7, $2, $8
            WHERE EXISTS (SELECT 1 FROM jit_members m WHERE m.jit_id = $1 AND m.agency_code = $2 AND m.left_at IS NULL)
           ON CONFLICT DO NOTHING RETURNING id`,
          [
            jitId,
            byAgency,
            change.value.meetingId,
            change.value.heldOn,
            change.value.place,
            change.value.participants,
            change.value.fundedBy,
            at,
          ],
        );
      case undefined:
        // A change of a kind this router does not know (a newer producer): nothing to apply.
        return false;
    }
  }

  private async changed(manager: EntityManager, sql: string, params: unknown[]): Promise<boolean> {
    const rows = await queryReturning(manager, sql, params);
    return rows.length > 0;
  }
}
