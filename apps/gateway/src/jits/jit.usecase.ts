import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { JitChangedSchema, Topics, type JitChanged } from '@liaison/contracts';
import { extensionProblem, jitAgreementProblems, type AuditAction } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import { JitReadRepository, type JitRow } from './jit-read.repository';
import type { AddMemberDto, CreateJitDto, RecordMeetingDto } from './jit.views';

type Change = JitChanged['change'];

/**
 * Creates and changes JITs. The router owns them, so every change is a JitChanged event; the request then
 * waits (briefly) until the router has applied it, so that the answer shows the change.
 */
@Injectable()
export class JitUseCase {
  constructor(
    private readonly jits: JitReadRepository,
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(JitUseCase.name);
  }

  async create(request: CreateJitDto, caller: Caller, correlationId: string): Promise<string> {
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
    await this.publish(id, caller, correlationId, 'jit.created', {
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

  async extend(id: string, endsOn: string, caller: Caller, correlationId: string): Promise<void> {
    const jit = await this.led(id, caller);
    const problem = extensionProblem(jit.ends_on, endsOn);
    if (problem) throw ApplicationError.validation([{ field: 'endsOn', message: problem }], ErrorCode.InvalidJit);
    await this.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      { case: 'extended', value: { $typeName: 'liaison.v1.JitExtended', endsOn } },
      `extended to ${endsOn}`,
    );
    await settle(
      () => this.jits.find(id, caller.agency),
      (row) => row?.ends_on === endsOn,
    );
  }

  async addMember(id: string, request: AddMemberDto, caller: Caller, correlationId: string): Promise<void> {
    await this.led(id, caller);
    const agency = await this.agencies.find(request.agency);
    if (!agency)
      throw new ApplicationError(ErrorCode.UnknownAgency, `agency: unknown agency ${request.agency}`, [
        { field: 'agency', message: `unknown agency ${request.agency}` },
      ]);
    const current = (await this.jits.members(id)).find((m) => m.code === request.agency && m.left_at === null);
    if (current)
      throw new ApplicationError(ErrorCode.InvalidJit, `agency: ${request.agency} is already a member`, [
        { field: 'agency', message: `${request.agency} is already a member` },
      ]);
    await this.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      {
        case: 'memberAdded',
        value: { $typeName: 'liaison.v1.JitMemberAdded', agency: agency.code, country: agency.country },
      },
      `member added ${agency.code}`,
    );
    await settle(
      () => this.jits.members(id),
      (members) => members.some((m) => m.code === agency.code && m.left_at === null),
    );
  }

  async removeMember(id: string, agency: string, caller: Caller, correlationId: string): Promise<void> {
    const jit = await this.led(id, caller);
    if (agency === jit.lead_agency)
      throw new ApplicationError(ErrorCode.InvalidJit, 'the lead agency cannot leave the team it leads');
    if (!(await this.jits.members(id)).some((m) => m.code === agency && m.left_at === null)) {
      throw new ApplicationError(ErrorCode.NotFound, `${agency} is not a member of this team`);
    }
    await this.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      { case: 'memberRemoved', value: { $typeName: 'liaison.v1.JitMemberRemoved', agency } },
      `member removed ${agency}`,
    );
    await settle(
      () => this.jits.members(id),
      (members) => members.some((m) => m.code === agency && m.left_at !== null),
    );
  }

  async linkCase(id: string, caseReference: string, caller: Caller, correlationId: string): Promise<void> {
    await this.member(id, caller);
    const found = await this.jits.caseJit(caseReference);
    const unlinkable = (message: string) =>
      new ApplicationError(ErrorCode.CaseNotAccessible, `caseReference: ${message}`, [
        { field: 'caseReference', message },
      ]);
    if (!found || found.owner !== caller.agency) throw unlinkable(`no case ${caseReference} owned by ${caller.agency}`);
    if (found.jitId === id) return;
    if (found.jitId !== null) throw unlinkable(`case ${caseReference} is linked to another joint investigation team`);
    await this.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      { case: 'caseLinked', value: { $typeName: 'liaison.v1.JitCaseLinked', caseReference } },
      `case linked ${caseReference}`,
    );
    await settle(
      () => this.jits.caseJit(caseReference),
      (row) => row?.jitId === id,
    );
  }

  async recordMeeting(id: string, request: RecordMeetingDto, caller: Caller, correlationId: string): Promise<string> {
    await this.member(id, caller);
    const register = await this.agencies.findMany(request.participants);
    const unknown = request.participants.filter((code) => !register.has(code));
    if (unknown.length > 0)
      throw ApplicationError.validation(
        [{ field: 'participants', message: `unknown agencies: ${unknown.join(', ')}` }],
        ErrorCode.UnknownAgency,
      );
    const meetingId = randomUUID();
    await this.publish(
      id,
      caller,
      correlationId,
      'jit.changed',
      {
        case: 'meetingRecorded',
        value: {
          $typeName: 'liaison.v1.JitMeetingRecorded',
          meetingId,
          heldOn: request.heldOn,
          place: request.place,
          participants: [...new Set(request.participants)],
          fundedBy: request.fundedBy,
        },
      },
      `meeting ${meetingId}`,
    );
    await settle(
      () => this.jits.meetings(id),
      (meetings) => meetings.some((m) => m.id === meetingId),
    );
    return meetingId;
  }

  /** The JIT if the caller's agency is a current member; 404 otherwise (existence is not disclosed). */
  async member(id: string, caller: Caller): Promise<JitRow> {
    const jit = await this.jits.find(id, caller.agency);
    if (!jit)
      throw new ApplicationError(
        ErrorCode.NotFound,
        `no joint investigation team ${id} of which ${caller.agency} is a member`,
      );
    return jit;
  }

  private async led(id: string, caller: Caller): Promise<JitRow> {
    const jit = await this.member(id, caller);
    if (jit.lead_agency !== caller.agency)
      throw new ApplicationError(
        ErrorCode.Forbidden,
        `only the lead agency ${jit.lead_agency} manages the team's membership and period`,
      );
    return jit;
  }

  private async publish(
    id: string,
    caller: Caller,
    correlationId: string,
    action: AuditAction,
    change: Change,
    detail = '',
  ): Promise<void> {
    await this.audit.publishAudited(
      Topics.jitChanged,
      [
        {
          key: id,
          correlationId,
          payload: create(JitChangedSchema, {
            jitId: id,
            byAgency: caller.agency,
            byKeyId: caller.keyId,
            at: timestampFromDate(new Date()),
            change,
          }),
        },
      ],
      caller,
      [{ action, objectType: 'jit', objectId: id, detail }],
      correlationId,
    );
  }
}
