import { Injectable } from '@nestjs/common';
import { CaseRepository } from './case.repository';

/** Closes cases at their owner's request: closing twice, or by anyone else, changes nothing. Returns how many closed. */
@Injectable()
export class CloseCasesUseCase {
  constructor(private readonly cases: CaseRepository) {}

  run(closures: readonly { reference: string; agency: string; closedAt: Date }[]): Promise<number> {
    return this.cases.closeCases(closures);
  }
}
