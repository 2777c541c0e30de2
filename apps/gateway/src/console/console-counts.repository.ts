import type { Role } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What waits for an agency, as the navigation shows it. */
export interface ConsoleCounts {
  /** Messages delivered to the agency and not yet opened. */
  unread: number;
  /** Requests and cross-checks to the agency past their deadline and not answered. */
  overdue: number;
  /** Matches on the agency's cases whose release the agency has not yet decided. */
  decisions: number;
  /** Forwards of the agency's H2 messages waiting for its permission. */
  permissions: number;
}

const NONE: ConsoleCounts = { unread: 0, overdue: 0, decisions: 0, permissions: 0 };

/** The navigation's counts, in one round trip, only those the role's navigation shows. */
@Injectable()
export class ConsoleCountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async of(agency: string, role: Role): Promise<ConsoleCounts> {
    if (role !== 'officer' && role !== 'supervisor') return NONE;
    const supervisor = role === 'supervisor';
    const rows: ConsoleCounts[] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM deliveries d WHERE d.recipient_agency = $1 AND d.state = 'delivered')::int AS unread,
              (SELECT count(*) FROM deliveries d WHERE d.recipient_agency = $1 AND d.answered_at IS NULL
                  AND d.answer_deadline < now())::int AS overdue,
              CASE WHEN $2 THEN (SELECT count(*) FROM matches m
                  WHERE (m.agency_a = $1 AND m.decision_a = 'pending')
                     OR (m.agency_b = $1 AND m.agency_a <> $1 AND m.decision_b = 'pending'))::int ELSE 0 END AS decisions,
              CASE WHEN $2 THEN (SELECT count(*) FROM forwards f
                  WHERE f.provider_agency = $1 AND f.state = 'pending')::int ELSE 0 END AS permissions`,
      [agency, supervisor],
    );
    return rows[0];
  }
}
