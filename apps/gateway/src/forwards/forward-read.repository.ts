import type { ForwardState } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ForwardRow {
  id: string;
  message_id: string;
  case_reference: string;
  provider_agency: string;
  from_agency: string;
  to_agency: string;
  state: ForwardState;
  requested_at: Date;
  decided_at: Date | null;
}

const COLUMNS =
  'f.id, f.message_id, m.case_reference, f.provider_agency, f.from_agency, f.to_agency, f.state, f.requested_at, f.decided_at';

/** Forwards as the agencies involved in them (provider, forwarding agency) see them. */
@Injectable()
export class ForwardReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string): Promise<ForwardRow | null> {
    const rows: ForwardRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM forwards f JOIN messages m ON m.id = f.message_id WHERE f.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async pendingTo(messageId: string, to: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM forwards WHERE message_id = $1 AND to_agency = $2 AND state = 'pending'`,
      [messageId, to],
    );
    return rows.length > 0;
  }

  /** Requests the agency must decide (as provider) or made (as forwarding agency), newest first. */
  involving(agency: string, state: ForwardState | undefined, limit: number): Promise<ForwardRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM forwards f JOIN messages m ON m.id = f.message_id
        WHERE (f.provider_agency = $1 OR f.from_agency = $1) AND ($2::text IS NULL OR f.state = $2)
        ORDER BY f.requested_at DESC, f.id DESC LIMIT $3`,
      [agency, state ?? null, limit],
    );
  }
}
