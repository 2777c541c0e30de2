import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * A file of historical counts a programme lead imported for their country (figures from before the system
 * existed). The same file imported again is the same import: it is known by its SHA-256. Owned by the gateway.
 */
@Entity({ name: 'report_imports' })
@Unique('uq_report_imports_file', ['country', 'sha256'])
@Index('ix_report_imports_country', ['country', 'importedAt'])
export class ReportImportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The importing agency's country: the counts are seen from it. */
  @Column({ type: 'text' })
  country!: string;

  @Column({ type: 'text' })
  sha256!: string;

  /** Lines of counts in the file. */
  @Column({ type: 'integer' })
  counts!: number;

  @Column({ name: 'first_period', type: 'text' })
  firstPeriod!: string;

  @Column({ name: 'last_period', type: 'text' })
  lastPeriod!: string;

  @Column({ name: 'imported_at', type: 'timestamptz' })
  importedAt!: Date;

  @Column({ name: 'imported_by_key_id', type: 'uuid' })
  importedByKeyId!: string;
}

/**
 * One imported count: messages of one type, with one partner country, in one period, seen from the importing
 * country. A later file giving the same count replaces it, so importing twice changes nothing.
 */
@Entity({ name: 'report_imported_counts' })
export class ImportedCountEntity {
  @PrimaryColumn({ type: 'text' })
  country!: string;

  /** As written: `2017`, `2017-Q3`, `2017-07` or `2017-07-14`. */
  @PrimaryColumn({ type: 'text' })
  period!: string;

  /** outbound or inbound. */
  @PrimaryColumn({ type: 'text' })
  direction!: string;

  @PrimaryColumn({ name: 'partner_country', type: 'text' })
  partnerCountry!: string;

  /** A crime area, or unspecified. */
  @PrimaryColumn({ name: 'crime_area', type: 'text' })
  crimeArea!: string;

  @PrimaryColumn({ name: 'message_type', type: 'text' })
  messageType!: string;

  /** year, quarter, month or day. */
  @Column({ type: 'text' })
  granularity!: string;

  @Column({ name: 'period_from', type: 'date' })
  periodFrom!: string;

  @Column({ name: 'period_to', type: 'date' })
  periodTo!: string;

  @Column({ type: 'bigint' })
  messages!: string;

  /** The import that last set it. */
  @Column({ name: 'import_id', type: 'uuid' })
  importId!: string;
}
