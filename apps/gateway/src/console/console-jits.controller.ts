import { MEETING_FUNDERS } from '@liaison/domain';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApplicationError } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { validatedAs } from '../http/validation.pipe';
import { RecordMeetingDto } from '../jits/jit.dto';
import { ReadJitUseCase } from '../jits/read-jit.usecase';
import { RecordJitMeetingUseCase } from '../jits/record-jit-meeting.usecase';
import { MessageListsUseCase } from '../messages/message-lists.usecase';
import { idOrNotFound } from './console-messages.controller';
import { ConsolePages } from './console-pages';

const FUNDER_WORDS: Record<string, string> = {
  eurojust: 'Eurojust',
  europol: 'Europol',
  national: 'National budget',
  other: 'Other',
};

/** Joint investigation teams: members, linked cases, broadcasts and meetings; recording a meeting. */
@ApiExcludeController()
@Controller('console/jits')
@SessionOnly()
@Roles('officer', 'supervisor')
export class ConsoleJitsController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reading: ReadJitUseCase,
    private readonly lists: MessageListsUseCase,
    private readonly recordMeeting: RecordJitMeetingUseCase,
  ) {}

  @Get()
  async list(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    await this.pages.render(reply, caller, 'jits', 'jits', {
      title: 'Joint investigation teams',
      jits: await this.reading.list(caller),
    });
  }

  @Get(':id')
  async team(@Param('id') id: string, @CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    await this.renderTeam(reply, caller, idOrNotFound(id));
  }

  private async renderTeam(
    reply: FastifyReply,
    caller: PersonCaller,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    const jit = await this.reading.get(id, caller);
    const [meetings, received, sent] = await Promise.all([
      this.reading.meetings(id, caller),
      this.lists.inbox({ jit: id, limit: 20 }, caller),
      this.lists.outbox({ jit: id, limit: 20 }, caller),
    ]);
    const broadcasts = [
      ...received.items.map((m) => ({ id: m.id, subject: m.subject, from: m.sender.code, at: m.submittedAt })),
      ...sent.items.map((m) => ({ id: m.id, subject: m.subject, from: caller.agency, at: m.submittedAt })),
    ].sort((a, b) => b.at.localeCompare(a.at));
    const current = jit.members.filter((m) => m.leftAt === null);
    await this.pages.render(
      reply,
      caller,
      'jits',
      'jit',
      {
        title: jit.name,
        jit,
        current,
        broadcasts,
        meetings: meetings.map((m) => ({ ...m, fundedByWords: FUNDER_WORDS[m.fundedBy] ?? m.fundedBy })),
        participants: [
          ...current.map((m) => ({ value: m.code, text: `${m.name} (${m.code})` })),
          { value: 'EU-EUROJUST', text: 'Eurojust (EU-EUROJUST)' },
          { value: 'EU-EUROPOL', text: 'Europol (EU-EUROPOL)' },
        ],
        funders: MEETING_FUNDERS.map((value) => ({ value, text: FUNDER_WORDS[value] })),
        form: {},
        ...extra,
      },
      status,
    );
  }

  /** Records an operational meeting: the same rules as `POST /v1/jits/:id/meetings`. */
  @Post(':id/meetings')
  async record(
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const jitId = idOrNotFound(id);
    const field = (name: string) => (typeof form?.[name] === 'string' ? form[name] : '');
    const participants = Array.isArray(form?.participants)
      ? form.participants.filter((p): p is string => typeof p === 'string')
      : field('participants')
        ? [field('participants')]
        : [];
    const [day, month, year] = [field('heldOn-day'), field('heldOn-month'), field('heldOn-year')];
    const request = {
      heldOn: day || month || year ? `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : '',
      place: field('place'),
      participants,
      fundedBy: field('fundedBy'),
    };
    const { value, errors } = await validatedAs(RecordMeetingDto, request);
    let problems = errors;
    if (problems.length === 0) {
      try {
        await this.recordMeeting.execute(jitId, value, caller, correlationId);
        return void reply.redirect(`/console/jits/${jitId}?recorded=1#meetings`, 303);
      } catch (error) {
        if (!(error instanceof ApplicationError)) throw error;
        problems = error.errors.length ? error.errors : [{ field: 'heldOn', message: error.detail }];
      }
    }
    const ids: Record<string, string> = {
      heldOn: 'heldOn-day',
      place: 'place',
      participants: 'participants',
      fundedBy: 'fundedBy',
    };
    const list = problems.map((p) => ({
      href: `#${ids[p.field.split(/[.[]/)[0]] ?? 'heldOn-day'}`,
      text: meetingProblemWords(p.field, p.message),
    }));
    await this.renderTeam(
      reply,
      caller,
      jitId,
      {
        errors: list,
        form: { ...request, day, month, year },
      },
      400,
    );
  }
}

function meetingProblemWords(field: string, message: string): string {
  if (field.startsWith('heldOn')) return `Enter the day the meeting was held: ${message.replace(/^heldOn\s*/, '')}`;
  if (field === 'place') return 'Enter where the meeting was held';
  if (field.startsWith('participants')) return 'Choose who took part';
  if (field === 'fundedBy') return 'Choose who paid for the meeting';
  return message;
}
