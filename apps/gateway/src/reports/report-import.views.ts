import { ApiProperty } from '@nestjs/swagger';
import type { ReportImportRow } from './report-import.repository';

export class ReportImportView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'GB', description: 'The importing agency’s country: the counts are seen from it' })
  country!: string;
  @ApiProperty({ description: 'Lines of counts in the file' }) counts!: number;
  @ApiProperty({ example: '2015' }) firstPeriod!: string;
  @ApiProperty({ example: '2017' }) lastPeriod!: string;
  @ApiProperty({ description: 'SHA-256 of the file: the same file is the same import' }) sha256!: string;
  @ApiProperty() importedAt!: string;
}

export function reportImportView(row: ReportImportRow): ReportImportView {
  return {
    id: row.id,
    country: row.country,
    counts: row.counts,
    firstPeriod: row.first_period,
    lastPeriod: row.last_period,
    sha256: row.sha256,
    importedAt: row.imported_at.toISOString(),
  };
}
