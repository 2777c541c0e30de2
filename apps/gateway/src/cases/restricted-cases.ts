import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Caller } from '../auth/caller';

/**
 * Which restricted cases (Art. 16(3)) a caller may not see: all of them, but for their owner's supervisors. Every
 * read of a case or its messages, and every list, asks here, and treats what is hidden as if it did not exist.
 */
@Injectable()
export class RestrictedCases {
  constructor(private readonly dataSource: DataSource) {}

  /** The cases among these the caller may not see because they are restricted. */
  async hiddenFrom(caller: Caller, references: readonly string[]): Promise<Set<string>> {
    if (references.length === 0) return new Set();
    const rows: { case_reference: string; owner_agency: string }[] = await this.dataSource.query(
      `SELECT r.case_reference, c.owner_agency FROM case_restrictions r JOIN cases c ON c.reference = r.case_reference
        WHERE r.case_reference = ANY($1::text[])`,
      [[...new Set(references)]],
    );
    return new Set(
      rows
        .filter((row) => !(row.owner_agency === caller.agency && caller.role === 'supervisor'))
        .map((row) => row.case_reference),
    );
  }

  /** Rows whose case the caller may see. */
  async visibleTo<R>(caller: Caller, rows: R[], caseOf: (row: R) => string): Promise<R[]> {
    const hidden = await this.hiddenFrom(caller, rows.map(caseOf));
    return hidden.size === 0 ? rows : rows.filter((row) => !hidden.has(caseOf(row)));
  }

  /** Whether the case's processing is restricted: it then takes no new messages, from anyone. */
  async isRestricted(reference: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM case_restrictions WHERE case_reference = $1', [
      reference,
    ]);
    return rows.length > 0;
  }
}
