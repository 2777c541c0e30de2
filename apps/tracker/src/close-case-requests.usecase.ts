import { Injectable } from '@nestjs/common';
import { ReportCubeRepository } from './report-cube.repository';
import { RequestStateRepository } from './request-state.repository';
import { TrackerStore } from './tracker.store';

/** A case closed, as the tracker learns of it. */
export interface ClosedCase {
  eventId: string;
  caseReference: string;
  closedAt: Date;
}

/** A closed case's open requests stop waiting for answers. Returns how many closures were new. */
@Injectable()
export class CloseCaseRequestsUseCase {
  constructor(
    private readonly store: TrackerStore,
    private readonly cubes: ReportCubeRepository,
    private readonly requests: RequestStateRepository,
  ) {}

  run(closures: readonly ClosedCase[]): Promise<number> {
    return this.store.once(
      closures.map((c) => c.eventId),
      async (manager, fresh) => {
        const open = await this.requests.closeCases(
          manager,
          closures.filter((c) => fresh.has(c.eventId)),
        );
        await this.cubes.run(manager, this.requests.prepareOpenCounts(open));
      },
    );
  }
}
