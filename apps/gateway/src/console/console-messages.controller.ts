import { AgencyRepository } from '@liaison/persistence';
import { DELIVERY_STATES, HANDLING_CODES, MESSAGE_TYPES, PRIORITIES } from '@liaison/domain';
import { Body, Controller, Get, Param, Post, Query, Res, type StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { ForwardMessageUseCase } from '../forwards/forward-message.usecase';
import { JitReadRepository } from '../jits/jit-read.repository';
import { InboxQueryDto, MessageFilterDto } from '../messages/inbox-query.dto';
import { MessageAttachmentController } from '../messages/message-attachment.controller';
import { MessageListsUseCase } from '../messages/message-lists.usecase';
import { INBOX_SORTS, MessageReadRepository } from '../messages/message-read.repository';
import { OpenMessageUseCase } from '../messages/open-message.usecase';
import { ConsolePages } from './console-pages';
import { DELIVERY_WORDS, HANDLING_WORDS, PRIORITY_SHORT, TYPE_WORDS } from './console-words';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a console URL: anything malformed is a page that does not exist. */
export function idOrNotFound(id: string): string {
  if (!UUID.test(id)) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
  return id.toLowerCase();
}

/** The query string of a list page without its cursor, plus `extra`: for the next page and the sort links. */
function queryString(query: object, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, ...extra }))
    if (value !== undefined && value !== null && value !== '' && (name !== 'cursor' || name in extra))
      params.set(name, String(value));
  return params.toString();
}

const options = <T extends string>(values: readonly T[], words: Record<T, string>, selected?: string) => [
  { value: '', text: 'Any', selected: !selected },
  ...values.map((value) => ({ value, text: words[value], selected: value === selected })),
];

/** Inbox, sent messages and a message: the officer's daily work. */
@ApiExcludeController()
@Controller('console')
@SessionOnly()
@Roles('officer', 'supervisor')
export class ConsoleMessagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly lists: MessageListsUseCase,
    private readonly openMessage: OpenMessageUseCase,
    private readonly agencies: AgencyRepository,
    private readonly jits: JitReadRepository,
    private readonly attachments: MessageAttachmentController,
    private readonly forwardMessage: ForwardMessageUseCase,
    private readonly messageRows: MessageReadRepository,
  ) {}

  /** The filters both lists share, as the filter form shows them. */
  private async filterChoices(caller: PersonCaller, query: MessageFilterDto) {
    const [agencies, jits] = await Promise.all([this.agencies.all(), this.jits.list(caller.agency)]);
    return {
      type: options(MESSAGE_TYPES, TYPE_WORDS, query.type),
      priority: options(PRIORITIES, PRIORITY_SHORT, query.priority),
      handlingCode: options(HANDLING_CODES, HANDLING_WORDS, query.handlingCode),
      partner: [
        { value: '', text: 'Any agency', selected: !query.partner },
        ...agencies
          .filter((a) => a.code !== caller.agency)
          .map((a) => ({ value: a.code, text: `${a.name} (${a.code})`, selected: a.code === query.partner })),
      ],
      jit: [
        { value: '', text: 'Any or none', selected: !query.jit },
        ...jits.map((j) => ({ value: j.id, text: j.name, selected: j.id === query.jit })),
      ],
    };
  }

  @Get('inbox')
  async inbox(
    @Query() query: InboxQueryDto,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [page, choices] = await Promise.all([this.lists.inbox(query, caller), this.filterChoices(caller, query)]);
    await this.pages.render(reply, caller, 'inbox', 'inbox', {
      title: 'Inbox',
      query,
      page,
      choices: {
        ...choices,
        state: options(DELIVERY_STATES, DELIVERY_WORDS, query.state),
        sort: INBOX_SORTS.map((value) => ({
          value,
          text: value === 'received' ? 'Newest first' : 'Soonest deadline first',
          selected: (query.sort ?? 'received') === value,
        })),
      },
      filtered: queryString(query, { sort: '' }) !== '',
      next: page.nextCursor ? `/console/inbox?${queryString(query, { cursor: page.nextCursor })}` : null,
      first: query.cursor ? `/console/inbox?${queryString(query)}` : null,
      live: `/console/inbox/results?${queryString(query)}`,
    });
  }

  /**
   * The first page of the inbox's results alone, for the console's script to keep the list current (asked as
   * a background request, so it does not keep an idle session alive).
   */
  @Get('inbox/results')
  async inboxResults(
    @Query() query: InboxQueryDto,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = await this.lists.inbox({ ...query, cursor: undefined }, caller);
    await reply.type('text/html; charset=utf-8').view('_inbox-results', {
      query,
      page,
      filtered: queryString(query, { sort: '' }) !== '',
      next: page.nextCursor ? `/console/inbox?${queryString(query, { cursor: page.nextCursor })}` : null,
      first: null,
    });
  }

  @Get('outbox')
  async outbox(
    @Query() query: MessageFilterDto,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [page, choices] = await Promise.all([this.lists.outbox(query, caller), this.filterChoices(caller, query)]);
    await this.pages.render(reply, caller, 'outbox', 'outbox', {
      title: 'Sent messages',
      query,
      page,
      choices,
      filtered: queryString(query) !== '',
      next: page.nextCursor ? `/console/outbox?${queryString(query, { cursor: page.nextCursor })}` : null,
      first: query.cursor ? `/console/outbox?${queryString(query)}` : null,
    });
  }

  /** A message, opened: the first opening by a recipient is its read receipt, and every opening is audited. */
  @Get('messages/:id')
  async message(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const message = await this.openMessage.execute(idOrNotFound(id), caller, correlationId);
    const mine = message.sender?.code === caller.agency;
    const recipients = new Set((message.recipients ?? []).map((r) => r.code));
    const agencies = mine
      ? []
      : (await this.agencies.all()).filter((a) => a.code !== caller.agency && !recipients.has(a.code));
    await this.pages.render(reply, caller, 'inbox', 'message', {
      title: message.subject ?? 'Message',
      message,
      mine,
      forwardTo: [
        { value: '', text: 'Choose an agency' },
        ...agencies.map((a) => ({ value: a.code, text: `${a.name} (${a.code})` })),
      ],
    });
  }

  /**
   * Passes a message received on to another agency, as `POST /v1/messages/:id/forward`: an H2 message then waits
   * for its provider's permission, which the case's Forwards tab shows.
   */
  @Post('messages/:id/forward')
  async forward(
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const messageId = idOrNotFound(id);
    const to = typeof form?.to === 'string' ? form.to : '';
    if (!/^[A-Z]{2}-[A-Z0-9-]{2,30}$/.test(to))
      return void reply.redirect(`/console/messages/${messageId}?forward=choose`, 303);
    const forwarded = await this.forwardMessage.execute(messageId, to, caller, correlationId);
    // Its case, read without opening the message again (an opening is audited and may be a read receipt).
    const received = await this.messageRows.receivedMessage(messageId, caller.agency);
    const back = received
      ? `/console/cases/${received.caseReference}?tab=forwards&forwarded=${forwarded.id}`
      : '/console/inbox';
    void reply.redirect(back, 303);
  }

  /** An attachment, as `GET /v1/messages/:id/attachments/:n` gives it (a download, run nowhere). */
  @Get('messages/:id/attachments/:n')
  download(
    @Param('id') id: string,
    @Param('n') n: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    if (!/^[1-9]\d{0,3}$/.test(n)) throw new ApiProblem(ErrorCode.NotFound, 'no such attachment');
    return this.attachments.download(idOrNotFound(id), Number(n), caller, correlationId, reply);
  }

  /** Accepts an H3 message's restriction, then shows the message. */
  @Post('messages/:id/acknowledge')
  async acknowledge(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const opened = await this.openMessage.acknowledge(idOrNotFound(id), caller, correlationId);
    void reply.redirect(`/console/messages/${opened.id}`, 303);
  }
}
