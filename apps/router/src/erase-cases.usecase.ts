import { CaseKeys } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { CaseRepository } from './case.repository';

/**
 * Deletes what the router holds of erased cases (their keys are already destroyed) and records its part of each
 * erasure. Erasing again changes nothing.
 */
@Injectable()
export class EraseCasesUseCase {
  constructor(
    private readonly cases: CaseRepository,
    private readonly keys: CaseKeys,
  ) {}

  async run(references: readonly string[]): Promise<void> {
    for (const reference of references) {
      this.keys.forget(reference);
      await this.cases.eraseCase(reference, new Date());
    }
  }
}
