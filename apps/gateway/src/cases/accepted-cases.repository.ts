import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Cases the gateway has accepted and handed to the broker, by the agency that opened them: so that agency can
 * write into a case and open it the moment it was accepted, before the router has stored it.
 */
@Injectable()
export class AcceptedCasesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Recorded before the event is published, so a follow-up that races the router finds it. */
  async record(reference: string, agency: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO accepted_cases (reference, agency_code, accepted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [reference, agency, at],
    );
  }

  /** When the agency's case was accepted, if it was and the router has not stored it yet. */
  async awaitingRouter(reference: string, agency: string): Promise<Date | null> {
    const rows: { accepted_at: Date }[] = await this.dataSource.query(
      `SELECT a.accepted_at FROM accepted_cases a
        WHERE a.reference = $1 AND a.agency_code = $2 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.reference = $1)`,
      [reference, agency],
    );
    return rows[0]?.accepted_at ?? null;
  }
}
