import { randomUUID } from 'node:crypto';
import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import type { Caller } from '../auth/caller';
import { JitAccess } from './jit-access';
import { JitChanges } from './jit-changes';
import { JitReadRepository } from './jit-read.repository';
import type { RecordMeetingDto } from './jit.dto';

/** Records an operational meeting of a team, with the agencies that took part. */
@Injectable()
export class RecordJitMeetingUseCase {
  constructor(
    private readonly access: JitAccess,
    private readonly agencies: AgencyRepository,
    private readonly changes: JitChanges,
    private readonly jits: JitReadRepository,
  ) {}

  async execute(id: string, request: RecordMeetingDto, caller: Caller, correlationId: string): Promise<string> {
    await this.access.member(id, caller);
    const register = await this.agencies.findMany(request.participants);
    const unknown = request.participants.filter((code) => !register.has(code));
    if (unknown.length > 0)
      throw ApplicationError.validation(
        [{ field: 'participants', message: `unknown agencies: ${unknown.join(', ')}` }],
        ErrorCode.UnknownAgency,
      );
    const meetingId = randomUUID();
    await this.changes.publish(
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
}
