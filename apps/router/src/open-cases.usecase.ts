import { AgencyRepository } from '@liaison/persistence';
import { CaseKeys, openCaseNames, SealBrokenError, sealCaseNames, type CaseNames } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseRepository, type OpenedCase } from './case.repository';

/** A case to open as CaseOpened gives it: its names sealed, or in clear on a record from before sealing. */
export interface CaseToOpen extends Omit<OpenedCase, 'details'> {
  sealedDetails: Uint8Array;
  names: CaseNames;
}

/**
 * Opens cases created on their own, with their owner as the first participant; a case opened by an agency not in
 * the register is refused, and so is one whose sealed names do not open with its key, or that has been erased.
 * Names in clear are sealed here. Opening a case twice changes nothing. Returns how many were refused.
 */
@Injectable()
export class OpenCasesUseCase {
  constructor(
    private readonly cases: CaseRepository,
    private readonly agencies: AgencyRepository,
    private readonly keys: CaseKeys,
    private readonly dataSource: DataSource,
  ) {}

  async run(cases: readonly CaseToOpen[]): Promise<{ refused: number }> {
    const owners = await this.agencies.findMany(cases.map((c) => c.ownerAgency));
    const keys = await this.keys.keysOf(
      this.dataSource,
      cases.map((c) => c.reference),
    );
    const accepted: OpenedCase[] = [];
    for (const { sealedDetails, names, ...opened } of cases) {
      const key = keys.get(opened.reference);
      if (!owners.has(opened.ownerAgency) || key === 'erased') continue;
      if (sealedDetails.length > 0) {
        if (!key || !opens(key, opened.reference, sealedDetails)) continue;
        accepted.push({ ...opened, details: Buffer.from(sealedDetails) });
      } else if (names.title !== '' || names.operationName !== '') {
        const made = key ?? (await this.keys.issue(this.dataSource, opened.reference));
        accepted.push({ ...opened, details: sealCaseNames(made, opened.reference, names) });
      } else accepted.push({ ...opened, details: null });
    }
    await this.cases.openCases(accepted);
    return { refused: cases.length - accepted.length };
  }
}

function opens(key: Buffer, reference: string, sealed: Uint8Array): boolean {
  try {
    openCaseNames(key, reference, sealed);
    return true;
  } catch (error) {
    if (error instanceof SealBrokenError) return false;
    throw error;
  }
}
