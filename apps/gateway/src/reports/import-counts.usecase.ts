import { readHistoricalCounts } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ReportImportRepository, type ReportImportRow } from './report-import.repository';

/** The most lines of counts one file may have. */
const MAX_IMPORT_ROWS = 50_000;

/**
 * Imports a programme lead's historical counts for its country, from CSV. Every line is checked first, and a
 * bad line rejects the whole file; the same file again changes nothing; a new file's count for a period,
 * direction, partner, crime area and type replaces the one before.
 */
@Injectable()
export class ImportCountsUseCase {
  constructor(
    private readonly imports: ReportImportRepository,
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** The import, and whether it is new (false: the same file was imported before, and this is that import). */
  async execute(
    csv: unknown,
    caller: Caller,
    correlationId: string,
  ): Promise<{ row: ReportImportRow; created: boolean }> {
    if (typeof csv !== 'string' && !Buffer.isBuffer(csv))
      throw new ApplicationError(ErrorCode.UnsupportedMediaType, 'send the counts as text/csv');
    const agency = await this.agencies.find(caller.agency);
    if (!agency) throw new ApplicationError(ErrorCode.UnknownAgency, `agency ${caller.agency} is not in the register`);
    const register = await this.agencies.all();
    const read = readHistoricalCounts(csv, {
      partnerCountries: new Set(register.map((a) => a.country)),
      today: new Date().toISOString().slice(0, 10),
      maxRows: MAX_IMPORT_ROWS,
    });
    if (!read.ok)
      throw ApplicationError.validation(
        [{ field: `line ${read.line}`, message: read.reason }],
        ErrorCode.InvalidImport,
      );
    const periods = read.counts
      .map((c) => c.period)
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    const stored = await this.imports.store(
      {
        id: randomUUID(),
        country: agency.country,
        sha256: createHash('sha256').update(csv).digest('hex'),
        firstPeriod: periods[0].label,
        lastPeriod: periods[periods.length - 1].label,
        importedAt: new Date(),
        importedByKeyId: caller.id,
      },
      read.counts,
    );
    if (stored.created)
      await this.audit.record(
        caller,
        { action: 'report.imported', objectType: 'report-import', objectId: stored.row.id },
        correlationId,
      );
    return stored;
  }
}
