import type { HistoricalCount } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A file to import, as the controller read it. */
export interface ImportFile {
  id: string;
  country: string;
  sha256: string;
  firstPeriod: string;
  lastPeriod: string;
  importedAt: Date;
  importedByKeyId: string;
}

export interface ReportImportRow {
  id: string;
  country: string;
  sha256: string;
  counts: number;
  first_period: string;
  last_period: string;
  imported_at: Date;
}

/** Imported historical counts and the files they came from. */
@Injectable()
export class ReportImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a file's counts in one transaction, unless the same file was imported for the country before: then
   * nothing changes and the earlier import is returned. A count for a period, direction, partner, crime area
   * and message type already imported is replaced by the new file's.
   */
  async store(file: ImportFile, counts: HistoricalCount[]): Promise<{ created: boolean; row: ReportImportRow }> {
    return this.dataSource.transaction(async (manager) => {
      const created: ReportImportRow[] = await manager.query(
        `INSERT INTO report_imports (id, country, sha256, counts, first_period, last_period, imported_at, imported_by_key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT ON CONSTRAINT uq_report_imports_file DO NOTHING
         RETURNING id, country, sha256, counts, first_period, last_period, imported_at`,
        [
          file.id,
          file.country,
          file.sha256,
          counts.length,
          file.firstPeriod,
          file.lastPeriod,
          file.importedAt,
          file.importedByKeyId,
        ],
      );
      if (created.length === 0) {
        const [earlier]: ReportImportRow[] = await manager.query(
          'SELECT id, country, sha256, counts, first_period, last_period, imported_at FROM report_imports WHERE country = $1 AND sha256 = $2',
          [file.country, file.sha256],
        );
        return { created: false, row: earlier };
      }
      await manager.query(
        `INSERT INTO report_imported_counts (country, period, direction, partner_country, crime_area, message_type, granularity, period_from, period_to, messages, import_id)
         SELECT $1, c.period, c.direction, c.partner, c.area, c.type, c.granularity, c.period_from, c.period_to, c.messages, $2
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[], $10::date[], $11::bigint[])
                AS c(period, direction, partner, area, type, granularity, period_from, period_to, messages)
         ON CONFLICT (country, period, direction, partner_country, crime_area, message_type)
         DO UPDATE SET messages = EXCLUDED.messages, granularity = EXCLUDED.granularity, import_id = EXCLUDED.import_id`,
        [
          file.country,
          file.id,
          counts.map((c) => c.period.label),
          counts.map((c) => c.direction),
          counts.map((c) => c.partnerCountry),
          counts.map((c) => c.crimeArea),
          counts.map((c) => c.messageType),
          counts.map((c) => c.period.granularity),
          counts.map((c) => c.period.from),
          counts.map((c) => c.period.to),
          counts.map((c) => c.count),
        ],
      );
      return { created: true, row: created[0] };
    });
  }

  /** The files imported for a country, newest first. */
  list(country: string): Promise<ReportImportRow[]> {
    return this.dataSource.query(
      'SELECT id, country, sha256, counts, first_period, last_period, imported_at FROM report_imports WHERE country = $1 ORDER BY imported_at DESC, id',
      [country],
    );
  }
}
