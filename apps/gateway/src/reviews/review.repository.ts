import type { CrimeArea, ReviewDecision } from '@liaison/domain';
import { caseReviewDates, NOT_BEING_ERASED, queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A case as its review sees it. */
export interface ReviewRow {
  case_reference: string;
  owner_agency: string;
  crime_area: CrimeArea | null;
  status: 'open' | 'closed';
  last_activity_at: Date;
  review_after_months: number;
  review_due_at: Date;
  decision: 'extend' | 'close' | null;
  extended_until: Date | null;
  reason: string | null;
  held: boolean;
  details: Buffer | null;
}

export interface RuleRow {
  crime_area: string;
  review_after_months: number;
  set_at: Date;
}

const REVIEW_COLUMNS = `d.*, (h.case_reference IS NOT NULL) AS held, c.details`;

/** Review dates, rules and decisions (the gateway's), over the router's cases. */
@Injectable()
export class ReviewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The agency's cases due for review by `before`, the most overdue first. */
  queue(agency: string, before: Date, limit: number): Promise<ReviewRow[]> {
    return this.dataSource.query(
      `SELECT ${REVIEW_COLUMNS} FROM ${caseReviewDates(`c.owner_agency = $1 AND ${NOT_BEING_ERASED}`)} AS d
         JOIN cases c ON c.reference = d.case_reference
         LEFT JOIN case_holds h ON h.case_reference = d.case_reference
        WHERE d.review_due_at <= $2
        ORDER BY d.review_due_at, d.case_reference LIMIT $3`,
      [agency, before, limit],
    );
  }

  async find(reference: string): Promise<ReviewRow | null> {
    const rows: ReviewRow[] = await this.dataSource.query(
      `SELECT ${REVIEW_COLUMNS} FROM ${caseReviewDates('c.reference = $1')} AS d
         JOIN cases c ON c.reference = d.case_reference
         LEFT JOIN case_holds h ON h.case_reference = d.case_reference`,
      [reference],
    );
    return rows[0] ?? null;
  }

  /** How many cases of a country's agencies (or of every country) are past their review date: a figure only. */
  async overdueIn(country: string | null, now: Date): Promise<number> {
    const [row]: { overdue: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS overdue
         FROM ${caseReviewDates(`($1::text IS NULL OR c.owner_agency IN (SELECT code FROM agencies WHERE country = $1)) AND ${NOT_BEING_ERASED}`)} AS d
        WHERE d.review_due_at <= $2`,
      [country, now],
    );
    return row.overdue;
  }

  async decide(
    reference: string,
    decision: Exclude<ReviewDecision, 'erase'>,
    extendedUntil: Date | null,
    reason: string | null,
    by: { type: string; id: string },
    at: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO case_reviews (case_reference, decision, extended_until, reason, decided_by_type, decided_by_id, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (case_reference) DO UPDATE SET decision = EXCLUDED.decision, extended_until = EXCLUDED.extended_until,
         reason = EXCLUDED.reason, decided_by_type = EXCLUDED.decided_by_type, decided_by_id = EXCLUDED.decided_by_id,
         decided_at = EXCLUDED.decided_at`,
      [reference, decision, extendedUntil, reason, by.type, by.id, at],
    );
  }

  /** The agency's own rules (crime area '' for all its cases). */
  rules(agency: string): Promise<RuleRow[]> {
    return this.dataSource.query(
      `SELECT crime_area, review_after_months, set_at FROM retention_rules WHERE agency_code = $1 ORDER BY crime_area`,
      [agency],
    );
  }

  /** The default period (agency '*'). */
  async defaultMonths(): Promise<number> {
    const [row]: { months: number }[] = await this.dataSource.query(
      `SELECT review_after_months AS months FROM retention_rules WHERE agency_code = '*' AND crime_area = ''`,
    );
    return row.months;
  }

  async setRule(
    agency: string,
    crimeArea: string,
    months: number,
    by: { type: string; id: string },
    at: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO retention_rules (agency_code, crime_area, review_after_months, set_by_type, set_by_id, set_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (agency_code, crime_area) DO UPDATE SET review_after_months = EXCLUDED.review_after_months,
         set_by_type = EXCLUDED.set_by_type, set_by_id = EXCLUDED.set_by_id, set_at = EXCLUDED.set_at`,
      [agency, crimeArea, months, by.type, by.id, at],
    );
  }

  async removeRule(agency: string, crimeArea: string): Promise<boolean> {
    const rows = await queryReturning(
      this.dataSource,
      'DELETE FROM retention_rules WHERE agency_code = $1 AND crime_area = $2 RETURNING crime_area',
      [agency, crimeArea],
    );
    return rows.length > 0;
  }
}
