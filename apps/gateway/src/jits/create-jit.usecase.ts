import { randomUUID } from 'node:crypto';
import { AgencyRepository } from '@liaison/persistence';
import { jitAgreementProblems } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import type { Caller } from '../auth/caller';
import { JitChanges } from './jit-changes';
import { JitReadRepository } from './jit-read.repository';
import type { CreateJitDto } from './jit.dto';

/**
 * Sets up a team: the parties are checked against the register (every agency known, and of its party's
 * country); the caller's agency leads it.
 */
@Injectable()
export class CreateJitUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly changes: JitChanges,
    private readonly jits: JitReadRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CreateJitUseCase.name);
  }

  async execute(request: CreateJitDto, caller: Caller, correlationId: string): Promise<string> {
    const problems = jitAgreementProblems(request, caller.agency);
    const register = await this.agencies.findMany(request.parties.flatMap((p) => p.agencies));
    request.parties.forEach((party, i) => {
      const unknown = party.agencies.filter((code) => !register.has(code));
      if (unknown.length > 0)
        problems.push({ field: `parties[${i}].agencies`, message: `unknown agencies: ${unknown.join(', ')}` });
      const foreign = party.agencies.filter(
        (code) => register.has(code) && register.get(code)!.country !== party.country,
      );
      if (foreign.length > 0)
        problems.push({
          field: `parties[${i}].agencies`,
          message: `not agencies of ${party.country}: ${foreign.join(', ')}`,
        });
    });
    if (problems.length > 0) throw ApplicationError.validation(problems, ErrorCode.InvalidJit);
    const id = randomUUID();
    await this.changes.publish(id, caller, correlationId, 'jit.created', {
      case: 'created',
      value: {
        $typeName: 'liaison.v1.JitCreated',
        name: request.name,
        parties: request.parties.map((p) => ({
          $typeName: 'liaison.v1.JitParty',
          country: p.country,
          agencies: p.agencies,
        })),
        startsOn: request.startsOn,
        endsOn: request.endsOn,
        eurojust: request.eurojust ?? false,
        europol: request.europol ?? false,
        fundingReference: request.fundingReference ?? '',
      },
    });
    this.logger.info({ jitId: id, lead: caller.agency, parties: request.parties.length }, 'JIT created');
    await settle(
      () => this.jits.find(id, caller.agency),
      (jit) => jit !== null,
    );
    return id;
  }
}
