import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { CaseRepository, type OpenedCase } from './case.repository';

/**
 * Opens cases created on their own, with their owner as the first participant; a case opened by an agency not in
 * the register is refused. Opening a case twice changes nothing. Returns how many were refused.
 */
@Injectable()
export class OpenCasesUseCase {
  constructor(
    private readonly cases: CaseRepository,
    private readonly agencies: AgencyRepository,
  ) {}

  async run(cases: readonly OpenedCase[]): Promise<{ refused: number }> {
    const owners = await this.agencies.findMany(cases.map((c) => c.ownerAgency));
    const accepted = cases.filter((c) => owners.has(c.ownerAgency));
    await this.cases.openCases(accepted);
    return { refused: cases.length - accepted.length };
  }
}
