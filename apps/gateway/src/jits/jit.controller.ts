import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { uuidParam } from '../http/params';
import { ReadJitUseCase } from './read-jit.usecase';
import { AddJitMemberUseCase } from './add-jit-member.usecase';
import { CreateJitUseCase } from './create-jit.usecase';
import { ExtendJitUseCase } from './extend-jit.usecase';
import { AddMemberDto, CreateJitDto, ExtendJitDto, LinkCaseDto, RecordMeetingDto } from './jit.dto';
import { JitSummaryView, JitView, MeetingView } from './jit.views';
import { LinkJitCaseUseCase } from './link-jit-case.usecase';
import { RecordJitMeetingUseCase } from './record-jit-meeting.usecase';
import { RemoveJitMemberUseCase } from './remove-jit-member.usecase';

const jitParam = uuidParam('id', 'a joint investigation team id (UUID)');

/** Joint investigation teams: visible to, and used by, their current member agencies only. */
@ApiTags('jits')
@ApiBearerAuth()
@Controller('v1/jits')
@Roles('officer', 'supervisor')
export class JitController {
  constructor(
    private readonly reading: ReadJitUseCase,
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
  list(@CurrentCaller() caller: Caller): Promise<JitSummaryView[]> {
    return this.reading.list(caller);
  }

  @Get(':id')
  @ApiOkResponse({ type: JitView })
  get(@Param('id', jitParam) id: string, @CurrentCaller() caller: Caller): Promise<JitView> {
    return this.reading.get(id, caller);
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
  meetings(@Param('id', jitParam) id: string, @CurrentCaller() caller: Caller): Promise<MeetingView[]> {
    return this.reading.meetings(id, caller);
  }
}
