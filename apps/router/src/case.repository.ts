import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A case opened on its own (POST /v1/cases), as the router stores it. */
export interface OpenedCase {
  reference: string;
  ownerAgency: string;
  crimeArea: string | null;
  openedAt: Date;
  /** Its title and operation name sealed under its key (CaseOpened.sealed_details); null when it has neither. */
  details: Buffer | null;
}

/** The router's writes of cases and their participants, many at a time (arrays bound through unnest). */
@Injectable()
export class CaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens cases created on their own (POST /v1/cases), with their owner as first participant. */
  async openCases(cases: readonly OpenedCase[]): Promise<void> {
    if (cases.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO cases (reference, owner_agency, opened_at, details, crime_area)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bytea[], $5::text[]) ON CONFLICT DO NOTHING`,
        [
          cases.map((c) => c.reference),
          cases.map((c) => c.ownerAgency),
          cases.map((c) => c.openedAt),
          cases.map((c) => c.details),
          cases.map((c) => c.crimeArea),
        ],
      );
      await manager.query(
        `INSERT INTO case_participants (case_reference, agency_code, joined_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
        [cases.map((c) => c.reference), cases.map((c) => c.ownerAgency), cases.map((c) => c.openedAt)],
      );
    });
  }

  /**
   * Deletes everything the router holds of an erased case: its messages with their deliveries, receipts,
   * attachments' rows, acknowledgements, forwards and dead letters, its rejections, participants and the case
   * itself; then records the router's part as done. One transaction: all of it or none, and again changes nothing.
   */
  async eraseCase(reference: string, at: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const ofCase = 'SELECT id FROM messages WHERE case_reference = $1';
      for (const table of ['handling_acknowledgements', 'forwards', 'deliveries', 'message_attachments'])
        await manager.query(`DELETE FROM ${table} WHERE message_id IN (${ofCase})`, [reference]);
      await manager.query(
        `DELETE FROM dead_letters WHERE message_id IN (${ofCase}) OR record_key = convert_to($1, 'UTF8')`,
        [reference],
      );
      await manager.query('DELETE FROM messages WHERE case_reference = $1', [reference]);
      await manager.query('DELETE FROM message_rejections WHERE case_reference = $1', [reference]);
      await manager.query('DELETE FROM case_participants WHERE case_reference = $1', [reference]);
      await manager.query('DELETE FROM cases WHERE reference = $1', [reference]);
      await manager.query(
        `INSERT INTO case_erasure_parts (case_reference, part, done_at) VALUES ($1, 'router', $2) ON CONFLICT DO NOTHING`,
        [reference, at],
      );
    });
  }

  /** Closes cases at their owner's request; closing twice, or by anyone else, changes nothing. */
  async closeCases(closures: readonly { reference: string; agency: string; closedAt: Date }[]): Promise<number> {
    if (closures.length === 0) return 0;
    const rows = await queryReturning(
      this.dataSource,
      `UPDATE cases c SET status = 'closed', closed_at = x.closed_at
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(reference, agency, closed_at)
        WHERE c.reference = x.reference AND c.owner_agency = x.agency AND c.status = 'open'
        RETURNING c.reference`,
      [closures.map((c) => c.reference), closures.map((c) => c.agency), closures.map((c) => c.closedAt)],
    );
    return rows.length;
  }

  /**
   * Makes agencies participants of cases (linked cases: each owner joins the other's), once each, and only in
   * cases the router holds (a match is always between routed cases).
   */
  async addParticipants(rows: readonly { caseReference: string; agency: string; at: Date }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO case_participants (case_reference, agency_code, joined_at)
       SELECT p.case_reference, p.agency, p.at FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS p(case_reference, agency, at)
        WHERE EXISTS (SELECT 1 FROM cases c WHERE c.reference = p.case_reference)
       ON CONFLICT DO NOTHING`,
      [rows.map((r) => r.caseReference), rows.map((r) => r.agency), rows.map((r) => r.at)],
    );
  }
}
