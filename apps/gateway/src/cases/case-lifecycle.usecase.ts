import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { CaseClosedSchema, CaseOpenedSchema, Topics } from '@liaison/contracts';
import { closeProblem, issueCaseReference, type CaseStatus } from '@liaison/domain';
import { CaseKeys, sealCaseNames } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PinoLogger } from 'nestjs-pino';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import { AcceptedCasesRepository } from './accepted-cases.repository';
import { CaseReadRepository } from './case-read.repository';
import type { CaseAcceptedView } from './case.views';
import type { OpenCaseDto } from './case.dto';

/**
 * Opens and closes cases. The router owns cases, so both publish an event; each then waits (briefly) until
 * the router has applied it, so that a client can use the case as soon as it has the answer.
 */
@Injectable()
export class CaseLifecycleUseCase {
  constructor(
    private readonly cases: CaseReadRepository,
    private readonly acceptedCases: AcceptedCasesRepository,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
    private readonly keys: CaseKeys,
    private readonly dataSource: DataSource,
  ) {
    this.logger.setContext(CaseLifecycleUseCase.name);
  }

  async open(request: OpenCaseDto, caller: Caller, correlationId: string): Promise<CaseAcceptedView> {
    const now = new Date();
    const reference = issueCaseReference(now);
    await this.acceptedCases.record(reference, caller.agency, now);
    // The title and operation name leave the gateway sealed under the new case's own key.
    const sealedDetails = sealCaseNames(await this.keys.issue(this.dataSource, reference), reference, {
      title: request.title,
      operationName: request.operationName ?? '',
    });
    await this.audit.publishAudited(
      Topics.caseOpened,
      [
        {
          key: reference,
          correlationId,
          payload: create(CaseOpenedSchema, {
            caseReference: reference,
            ownerAgency: caller.agency,
            crimeArea: request.crimeArea,
            sealedDetails,
            openedAt: timestampFromDate(now),
            openedByKeyId: caller.id,
          }),
        },
      ],
      caller,
      [{ action: 'case.opened', objectType: 'case', objectId: reference }],
      correlationId,
    );
    this.logger.info({ caseReference: reference, owner: caller.agency, crimeArea: request.crimeArea }, 'case opened');
    return { reference, status: await this.settled(reference, caller.agency, (status) => status !== undefined) };
  }

  async close(reference: string, caller: Caller, correlationId: string): Promise<CaseAcceptedView> {
    const found = await this.cases.find(reference, caller.agency);
    if (!found)
      throw new ApplicationError(ErrorCode.NotFound, `no case ${reference} in which ${caller.agency} takes part`);
    const problem = closeProblem({ ownerAgency: found.owner_agency, status: found.status }, caller.agency);
    if (problem) {
      throw found.status === 'closed'
        ? new ApplicationError(ErrorCode.CaseClosed, problem)
        : new ApplicationError(ErrorCode.Forbidden, problem);
    }
    await this.audit.publishAudited(
      Topics.caseClosed,
      [
        {
          key: reference,
          correlationId,
          payload: create(CaseClosedSchema, {
            caseReference: reference,
            closedByAgency: caller.agency,
            closedAt: timestampFromDate(new Date()),
            closedByKeyId: caller.id,
          }),
        },
      ],
      caller,
      [{ action: 'case.closed', objectType: 'case', objectId: reference }],
      correlationId,
    );
    this.logger.info({ caseReference: reference, owner: caller.agency }, 'case closed');
    return { reference, status: await this.settled(reference, caller.agency, (status) => status === 'closed') };
  }

  /** The case's status once the router shows the expected change, or as it is when the wait runs out. */
  private async settled(
    reference: string,
    agency: string,
    done: (status: CaseStatus | undefined) => boolean,
  ): Promise<CaseStatus> {
    return (await settle(async () => (await this.cases.find(reference, agency))?.status, done)) ?? 'open';
  }
}
