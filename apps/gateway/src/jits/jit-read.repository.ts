import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface JitRow {
  id: string;
  name: string;
  lead_agency: string;
  starts_on: string;
  ends_on: string;
  eurojust: boolean;
  europol: boolean;
  funding_reference: string | null;
}

export interface JitMemberRow {
  code: string;
  name: string;
  party: string;
  joined_at: Date;
  left_at: Date | null;
}

export interface MeetingRow {
  id: string;
  held_on: string;
  place: string;
  participants: string[];
  funded_by: string;
  recorded_by_agency: string;
  recorded_at: Date;
}

const JIT_COLUMNS =
  'j.id, j.name, j.lead_agency, j.starts_on::text, j.ends_on::text, j.eurojust, j.europol, j.funding_reference';
const CURRENT_MEMBER =
  'EXISTS (SELECT 1 FROM jit_members m WHERE m.jit_id = j.id AND m.agency_code = $2 AND m.left_at IS NULL)';

/** JITs as their members see them. A JIT is visible only to its current member agencies. */
@Injectable()
export class JitReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(agency: string): Promise<JitRow[]> {
    return this.dataSource.query(
      `SELECT ${JIT_COLUMNS} FROM jits j
        WHERE EXISTS (SELECT 1 FROM jit_members m WHERE m.jit_id = j.id AND m.agency_code = $1 AND m.left_at IS NULL)
        ORDER BY j.ends_on DESC, j.id`,
      [agency],
    );
  }

  async find(id: string, agency: string): Promise<JitRow | null> {
    const rows: JitRow[] = await this.dataSource.query(
      `SELECT ${JIT_COLUMNS} FROM jits j WHERE j.id = $1 AND ${CURRENT_MEMBER}`,
      [id, agency],
    );
    return rows[0] ?? null;
  }

  /** Every agency that is or was a member, in joining order. */
  members(id: string): Promise<JitMemberRow[]> {
    return this.dataSource.query(
      `SELECT m.agency_code AS code, a.name, m.party_country AS party, m.joined_at, m.left_at
         FROM jit_members m JOIN agencies a ON a.code = m.agency_code
        WHERE m.jit_id = $1 ORDER BY m.joined_at, m.agency_code`,
      [id],
    );
  }

  async linkedCases(id: string): Promise<string[]> {
    const rows: { reference: string }[] = await this.dataSource.query(
      'SELECT reference FROM cases WHERE jit_id = $1 ORDER BY opened_at',
      [id],
    );
    return rows.map((row) => row.reference);
  }

  meetings(id: string): Promise<MeetingRow[]> {
    return this.dataSource.query(
      `SELECT id, held_on::text, place, participants, funded_by, recorded_by_agency, recorded_at
         FROM jit_meetings WHERE jit_id = $1 ORDER BY held_on DESC, recorded_at DESC`,
      [id],
    );
  }

  async caseJit(reference: string): Promise<{ owner: string; jitId: string | null } | null> {
    const rows: { owner_agency: string; jit_id: string | null }[] = await this.dataSource.query(
      'SELECT owner_agency, jit_id FROM cases WHERE reference = $1',
      [reference],
    );
    return rows[0] ? { owner: rows[0].owner_agency, jitId: rows[0].jit_id } : null;
  }
}
