import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { cursorOf, page } from '../http/pagination';
import { uuidParam } from '../http/params';
import { InboxQueryDto, MessageFilterDto } from './inbox-query.dto';
import { MessageReadRepository } from './message-read.repository';
import { InboxPageView, MessageView, OutboxPageView } from './message.views';
import { OpenMessageUseCase, recipientView } from './open-message.usecase';
import { SubmitMessageDto, SubmittedMessageView } from './submit-message.dto';
import { SubmitMessageUseCase } from './submit-message.usecase';

const messageId = uuidParam('id', 'a message id (UUID)');

const iso = (date: Date | null) => date?.toISOString() ?? null;

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1')
@Roles('officer', 'supervisor')
export class MessageController {
  constructor(
    private readonly submitMessage: SubmitMessageUseCase,
    private readonly openMessage: OpenMessageUseCase,
    private readonly messages: MessageReadRepository,
  ) {}

  @Post('messages')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: SubmittedMessageView,
    description: 'Accepted: the broker has the message; the router delivers it',
  })
  async submit(
    @Body() body: SubmitMessageDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<SubmittedMessageView> {
    const accepted = await this.submitMessage.execute(body, caller, correlationId);
    void response.header('Location', `/v1/messages/${accepted.id}`);
    return accepted;
  }

  /** Messages delivered to the caller's agency, newest first, with this agency's receipt state. */
  @Get('inbox')
  @ApiOkResponse({ type: InboxPageView })
  async inbox(@Query() query: InboxQueryDto, @CurrentCaller() caller: Caller): Promise<InboxPageView> {
    const limit = query.limit ?? 25;
    const rows = await this.messages.inbox(caller.agency, query, limit + 1, cursorOf(query));
    return page(
      rows,
      limit,
      (row) => ({
        id: row.id,
        type: row.type,
        priority: row.priority,
        caseReference: row.case_reference,
        sender: { code: row.sender_agency, name: row.sender_name, country: row.sender_country },
        subject: row.subject,
        submittedAt: row.submitted_at.toISOString(),
        deliveredAt: row.delivered_at.toISOString(),
        state: row.state,
        readAt: iso(row.read_at),
        answeredAt: iso(row.answered_at),
        answerDeadline: iso(row.answer_deadline),
        overdue: row.overdue,
      }),
      (row) => ({ at: row.delivered_at, id: row.id }),
    );
  }

  /** Messages the caller's agency sent, newest first, with every recipient's state (supervisors). */
  @Get('outbox')
  @Roles('supervisor')
  @ApiOkResponse({ type: OutboxPageView })
  async outbox(@Query() query: MessageFilterDto, @CurrentCaller() caller: Caller): Promise<OutboxPageView> {
    const limit = query.limit ?? 25;
    const rows = await this.messages.outbox(caller.agency, query, limit + 1, cursorOf(query));
    return page(
      rows,
      limit,
      (row) => ({
        id: row.id,
        type: row.type,
        priority: row.priority,
        caseReference: row.case_reference,
        subject: row.subject,
        submittedAt: row.submitted_at.toISOString(),
        recipients: row.recipients.map((r) => recipientView(r, true)),
      }),
      (row) => ({ at: row.submitted_at, id: row.id }),
    );
  }

  /** Accepts an H3 message's restriction for the calling user, and returns the message with its content. */
  @Post('messages/:id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: MessageView })
  acknowledge(
    @Param('id', messageId) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<MessageView> {
    return this.openMessage.acknowledge(id, caller, correlationId);
  }

  @Get('messages/:id')
  @ApiOkResponse({ type: MessageView })
  get(
    @Param('id', messageId) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<MessageView> {
    return this.openMessage.execute(id, caller, correlationId);
  }
}
