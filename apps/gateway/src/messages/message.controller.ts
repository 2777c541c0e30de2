import { decodeCursor, encodeCursor, evaluationLabel, H1_MARKING } from '@liaison/domain';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { ApiProblem, ProblemCode } from '../http/problem';
import { InboxQueryDto } from './inbox-query.dto';
import { MessageReadRepository, type MessageRow } from './message-read.repository';
import { InboxPageView, MessageView } from './message.views';
import { SubmitMessageDto, SubmittedMessageView } from './submit-message.dto';
import { SubmitMessageUseCase } from './submit-message.usecase';

const uuidParam = new ParseUUIDPipe({ exceptionFactory: () => ApiProblem.field('id', 'must be a message id (UUID)') });

function correlationIdOf(request: Request): string {
  const id = (request as Request & { id?: unknown }).id;
  return typeof id === 'string' ? id : '';
}

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1')
@Roles('officer')
export class MessageController {
  constructor(
    private readonly submitMessage: SubmitMessageUseCase,
    private readonly messages: MessageReadRepository,
  ) {}

  @Post('messages')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: SubmittedMessageView, description: 'Accepted: the broker has the message; the router delivers it' })
  async submit(
    @Body() body: SubmitMessageDto,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubmittedMessageView> {
    const accepted = await this.submitMessage.execute(body, caller, correlationIdOf(request));
    response.location(`/v1/messages/${accepted.id}`);
    return accepted;
  }

  @Get('inbox')
  @ApiOkResponse({ type: InboxPageView })
  async inbox(@Query() query: InboxQueryDto, @CurrentCaller() caller: Caller): Promise<InboxPageView> {
    const limit = query.limit ?? 25;
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && after === null) throw ApiProblem.field('cursor', 'is not a cursor from a previous page');
    const rows = await this.messages.inbox(caller.agency, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        id: row.id,
        type: row.type,
        priority: row.priority,
        answerDeadline: row.answer_deadline?.toISOString() ?? null,
        caseReference: row.case_reference,
        sender: { code: row.sender_agency, name: row.sender_name, country: row.sender_country },
        subject: row.subject,
        submittedAt: row.submitted_at.toISOString(),
        deliveredAt: row.delivered_at.toISOString(),
        state: row.state,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.delivered_at, id: last.id }) : null,
    };
  }

  @Get('messages/:id')
  @ApiOkResponse({ type: MessageView })
  async get(@Param('id', uuidParam) id: string, @CurrentCaller() caller: Caller): Promise<MessageView> {
    const message = await this.messages.visibleMessage(id, caller.agency);
    if (message) return routedView(message);
    const rejection = await this.messages.senderRejection(id, caller.agency);
    if (rejection) {
      return {
        id: rejection.message_id,
        status: 'rejected',
        caseReference: rejection.case_reference,
        sender: { code: rejection.sender_agency, name: rejection.sender_name, country: rejection.sender_country },
        submittedAt: rejection.submitted_at.toISOString(),
        rejection: { reason: rejection.reason, detail: rejection.detail, rejectedAt: rejection.rejected_at.toISOString() },
      };
    }
    throw new ApiProblem(ProblemCode.NotFound, `no message ${id} is visible to ${caller.agency}`);
  }
}

function routedView(row: MessageRow): MessageView {
  return {
    id: row.id,
    status: 'routed',
    type: row.type,
    priority: row.priority,
    handling: {
      code: row.handling_code,
      ...(row.handling_restriction !== null ? { restriction: row.handling_restriction } : {}),
      ...(row.uk_handling !== null ? { uk: row.uk_handling } : {}),
      ...(row.handling_code === 'H1' ? { marking: H1_MARKING } : {}),
    },
    evaluation: row.evaluation ? { ...row.evaluation, label: evaluationLabel(row.evaluation) } : null,
    inReplyTo: row.in_reply_to,
    caseReference: row.case_reference,
    sender: { code: row.sender_agency, name: row.sender_name, country: row.sender_country },
    recipients: row.recipients.map((r) => ({
      code: r.agency,
      name: r.name,
      country: r.country,
      state: r.state,
      deliveredAt: new Date(r.deliveredAt).toISOString(),
      answerDeadline: r.answerDeadline === null ? null : new Date(r.answerDeadline).toISOString(),
    })),
    subject: row.subject,
    body: row.body,
    submittedAt: row.submitted_at.toISOString(),
    routedAt: row.routed_at.toISOString(),
  };
}
