import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { uuidParam } from '../http/params';
import { InboxQueryDto, OutboxQueryDto } from './inbox-query.dto';
import { MessageListsUseCase } from './message-lists.usecase';
import { InboxPageView, MessageView, OutboxPageView } from './message.views';
import { OpenMessageUseCase } from './open-message.usecase';
import { SubmitMessageDto, SubmittedMessageView } from './submit-message.dto';
import { SubmitMessageUseCase } from './submit-message.usecase';

const messageId = uuidParam('id', 'a message id (UUID)');

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1')
@Roles('officer', 'supervisor')
export class MessageController {
  constructor(
    private readonly submitMessage: SubmitMessageUseCase,
    private readonly openMessage: OpenMessageUseCase,
    private readonly lists: MessageListsUseCase,
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

  /** Messages delivered to the caller's agency, in the order asked for (newest first by default), with its receipt state. */
  @Get('inbox')
  @ApiOkResponse({ type: InboxPageView })
  inbox(@Query() query: InboxQueryDto, @CurrentCaller() caller: Caller): Promise<InboxPageView> {
    return this.lists.inbox(query, caller);
  }

  /** Messages the caller's agency sent, newest first or by priority, with every recipient's state. */
  @Get('outbox')
  @ApiOkResponse({ type: OutboxPageView })
  outbox(@Query() query: OutboxQueryDto, @CurrentCaller() caller: Caller): Promise<OutboxPageView> {
    return this.lists.outbox(query, caller);
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
