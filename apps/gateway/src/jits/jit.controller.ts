import { utcDay } from '@liaison/common';
import { jitStatus } from '@liaison/domain';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { uuidParam } from '../http/params';
import { JitReadRepository, type JitRow } from './jit-read.repository';
import { AddJitMemberUseCase } from './add-jit-member.usecase';
import { CreateJitUseCase } from './create-jit.usecase';
import { ExtendJitUseCase } from './extend-jit.usecase';
import { JitAccess } from './jit-access';
import { AddMemberDto, CreateJitDto, ExtendJitDto, LinkCaseDto, RecordMeetingDto } from './jit.dto';
import { JitSummaryView, JitView, MeetingView } from './jit.views';
import { LinkJitCaseUseCase } from './link-jit-case.usecase';
import { RecordJitMeetingUseCase } from './record-jit-meeting.usecase';
import { RemoveJitMemberUseCase } from './remove-jit-member.usecase';

const jitParam = uuidParam('id', 'a joint investigation team id (UUID)');

function summary(row: JitRow): JitSummaryView {
  return {
    id: row.id,
    name: row.name,
    lead: row.lead_agency,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    status: jitStatus({ startsOn: row.starts_on, endsOn: row.ends_on }, utcDay(new Date())),
    eurojust: row.eurojust,
    europol: row.europol,
    fundingReference: row.funding_reference,
  };
}

/** Joint investigation teams: visible to, and used by, their current member agencies only. */
@ApiTags('jits')
@ApiBearerAuth()
@Controller('v1/jits')
@Roles('officer', 'supervisor')
export class JitController {
  constructor(
    private readonly jits: JitReadRepository,
    private readonly access: JitAccess,
    private readonly createJit: CreateJitUseCase,
    private readonly extendJit: ExtendJitUseCase,
    private readonly addJitMember: AddJitMemberUseCase,
    private readonly removeJitMember: RemoveJitMemberUseCase,
    private readonly linkJitCase: LinkJitCaseUseCase,
    private readonly recordJitMeeting: RecordJitMeetingUseCase,
  ) {}

  /** Sets up a team; the caller's agency is a member and leads it. */
  @Post()
  @ApiCreatedResponse({ type: JitView })
  async create(
    @Body() body: CreateJitDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<JitView> {
    const id = await this.createJit.execute(body, caller, correlationId);
    void response.header('Location', `/v1/jits/${id}`);
    return this.get(id, caller);
  }

  /** Teams the caller's agency is a current member of. */
  @Get()
  @ApiOkResponse({ type: [JitSummaryView] })
  async list(@CurrentCaller() caller: Caller): Promise<JitSummaryView[]> {
    return (await this.jits.list(caller.agency)).map(summary);
  }

  @Get(':id')
  @ApiOkResponse({ type: JitView })
  async get(@Param('id', jitParam) id: string, @CurrentCaller() caller: Caller): Promise<JitView> {
    const jit = await this.access.member(id, caller);
    const [members, cases, meetings] = await Promise.all([
      this.jits.members(id),
      this.jits.linkedCases(id),
      this.jits.meetings(id),
    ]);
    return {
      ...summary(jit),
      members: members.map((m) => ({
        code: m.code,
        name: m.name,
        party: m.party,
        joinedAt: m.joined_at.toISOString(),
        leftAt: m.left_at?.toISOString() ?? null,
      })),
      cases,
      meetings: meetings.length,
    };
  }

  /** Moves the last day later (lead agency). */
  @Post(':id/extend')
  @HttpCode(200)
  @ApiOkResponse({ type: JitView })
  async extend(
    @Param('id', jitParam) id: string,
    @Body() body: ExtendJitDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<JitView> {
    await this.extendJit.execute(id, body.endsOn, caller, correlationId);
    return this.get(id, caller);
  }

  /** Adds a member agency (lead agency). */
  @Post(':id/members')
  @HttpCode(200)
  @ApiOkResponse({ type: JitView })
  async addMember(
    @Param('id', jitParam) id: string,
    @Body() body: AddMemberDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<JitView> {
    await this.addJitMember.execute(id, body, caller, correlationId);
    return this.get(id, caller);
  }

  /** Removes a member agency (lead agency); it keeps what was delivered to it. */
  @Delete(':id/members/:agency')
  @HttpCode(200)
  @ApiOkResponse({ type: JitView })
  async removeMember(
    @Param('id', jitParam) id: string,
    @Param('agency') agency: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<JitView> {
    await this.removeJitMember.execute(id, agency, caller, correlationId);
    return this.get(id, caller);
  }

  /** Links a case the caller's agency owns to the team. */
  @Post(':id/cases')
  @HttpCode(200)
  @ApiOkResponse({ type: JitView })
  async linkCase(
    @Param('id', jitParam) id: string,
    @Body() body: LinkCaseDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<JitView> {
    await this.linkJitCase.execute(id, body.caseReference, caller, correlationId);
    return this.get(id, caller);
  }

  /** Records an operational meeting of the team. */
  @Post(':id/meetings')
  @ApiCreatedResponse({ type: MeetingView })
  async recordMeeting(
    @Param('id', jitParam) id: string,
    @Body() body: RecordMeetingDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<MeetingView> {
    const meetingId = await this.recordJitMeeting.execute(id, body, caller, correlationId);
    const meeting = (await this.meetings(id, caller)).find((m) => m.id === meetingId);
    if (!meeting) throw new Error(`meeting ${meetingId} was accepted but is not visible yet`);
    return meeting;
  }

  @Get(':id/meetings')
  @ApiOkResponse({ type: [MeetingView] })
  async meetings(@Param('id', jitParam) id: string, @CurrentCaller() caller: Caller): Promise<MeetingView[]> {
    await this.access.member(id, caller);
    return (await this.jits.meetings(id)).map((m) => ({
      id: m.id,
      heldOn: m.held_on,
      place: m.place,
      participants: m.participants,
      fundedBy: m.funded_by,
      recordedBy: m.recorded_by_agency,
      recordedAt: m.recorded_at.toISOString(),
    }));
  }
}
