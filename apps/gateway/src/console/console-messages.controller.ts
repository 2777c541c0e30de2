import { AgencyRepository } from '@liaison/persistence';
import { AGENCY_CODE_PATTERN, DELIVERY_STATES, HANDLING_CODES, MESSAGE_TYPES, PRIORITIES } from '@liaison/domain';
import { Body, Controller, Get, Param, Post, Query, Req, Res, type StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { ErrorCode } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { ForwardMessageUseCase } from '../forwards/forward-message.usecase';
import { JitReadRepository } from '../jits/jit-read.repository';
import { InboxQueryDto, OutboxQueryDto, type MessageFilterDto } from '../messages/inbox-query.dto';
import { MessageAttachmentController } from '../messages/message-attachment.controller';
import { MessageListsUseCase } from '../messages/message-lists.usecase';
import {
  INBOX_SORTS,
  MessageReadRepository,
  NATURAL_ORDER,
  OUTBOX_SORTS,
  type SortOrder,
} from '../messages/message-read.repository';
import { OpenMessageUseCase } from '../messages/open-message.usecase';
import { ConsoleLive } from './console-live';
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
  const entries = [
    ...Object.entries(query).filter(([name]) => !(name in extra) && name !== 'cursor'),
    ...Object.entries(extra),
  ];
  for (const [name, value] of entries)
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  return params.toString();
}

/** Whether a list shows fewer than all: any filter in its query beyond the order and the page. */
const isFiltered = (query: object) => queryString(query, { sort: '', order: '' }) !== '';

/**
 * Each sortable column's header link: the column sorted its natural way, or the other way if it is the sort
 * already; and its aria-sort, so a screen reader says how the table is ordered.
 */
function sortHeaders<S extends keyof typeof NATURAL_ORDER>(
  path: string,
  query: { sort?: S; order?: SortOrder },
  sorts: readonly S[],
) {
  const current = query.sort ?? sorts[0];
  const currentOrder = query.order ?? NATURAL_ORDER[current];
  return Object.fromEntries(
    sorts.map((sort) => {
      const order = sort !== current ? NATURAL_ORDER[sort] : currentOrder === 'asc' ? 'desc' : 'asc';
      return [
        sort,
        {
          href: `${path}?${queryString(query, { sort, order })}`,
          ariaSort: sort !== current ? 'none' : currentOrder === 'asc' ? 'ascending' : 'descending',
        },
      ];
    }),
  );
}

/** What a list page shows around its rows: the sort links, whether it is filtered, and the links to other pages. */
function listLinks<S extends keyof typeof NATURAL_ORDER>(
  path: string,
  query: { sort?: S; order?: SortOrder; cursor?: string },
  sorts: readonly S[],
  nextCursor: string | null,
) {
  return {
    sorts: sortHeaders(path, query, sorts),
    filtered: isFiltered(query),
    next: nextCursor ? `${path}?${queryString(query, { cursor: nextCursor })}` : null,
    first: query.cursor ? `${path}?${queryString(query)}` : null,
  };
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
    private readonly live: ConsoleLive,
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
      },
      ...listLinks('/console/inbox', query, INBOX_SORTS, page.nextCursor),
      live: `/console/inbox/results?${queryString(query)}`,
    });
  }

  /**
   * The first page of the inbox's results alone, for the console's script to keep the list current (asked as
   * a background request, so it does not keep an idle session alive). Rendered once per agency and view for
   * all who poll it within CONSOLE_SHARED_READS_MS; a poll naming the fragment it has (If-None-Match) gets 304.
   */
  @Get('inbox/results')
  async inboxResults(
    @Query() query: InboxQueryDto,
    @CurrentCaller() caller: PersonCaller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const first = { ...query, cursor: undefined };
    const fragment = await this.live.inboxResults.read(`${caller.agency}|${queryString(first)}`, async () => {
      const page = await this.lists.inbox(first, caller);
      const html = await reply.server.view('_inbox-results', {
        query,
        page,
        ...listLinks('/console/inbox', first, INBOX_SORTS, page.nextCursor),
      });
      return { html, etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"` };
    });
    void reply.header('etag', fragment.etag);
    if (request.headers['if-none-match'] === fragment.etag) return void (await reply.code(304).send());
    await reply.type('text/html; charset=utf-8').send(fragment.html);
  }

  @Get('outbox')
  async outbox(
    @Query() query: OutboxQueryDto,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [page, choices] = await Promise.all([this.lists.outbox(query, caller), this.filterChoices(caller, query)]);
    await this.pages.render(reply, caller, 'outbox', 'outbox', {
      title: 'Sent messages',
      query,
      page,
      choices,
      ...listLinks('/console/outbox', query, OUTBOX_SORTS, page.nextCursor),
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
    if (!AGENCY_CODE_PATTERN.test(to)) return void reply.redirect(`/console/messages/${messageId}?forward=choose`, 303);
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
