import { Injectable } from '@nestjs/common';
import { CaseRepository } from './case.repository';

/** Two cases a match links, each with its owner agency. */
export interface LinkedCases {
  a: { caseReference: string; agency: string };
  b: { caseReference: string; agency: string };
  at: Date;
}

/**
 * Linked cases: when both owners of a match have released their details, each owner takes part in the other's
 * case, so they can exchange messages in either. Adding a participant twice changes nothing.
 */
@Injectable()
export class LinkMatchedCasesUseCase {
  constructor(private readonly cases: CaseRepository) {}

  async run(links: readonly LinkedCases[]): Promise<void> {
    await this.cases.addParticipants(
      links.flatMap(({ a, b, at }) => [
        { caseReference: a.caseReference, agency: b.agency, at },
        { caseReference: b.caseReference, agency: a.agency, at },
      ]),
    );
  }
}
