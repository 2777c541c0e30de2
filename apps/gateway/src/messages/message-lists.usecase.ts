import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { cursorOf, page } from '../application/pagination';
import type { CursorPosition } from '@liaison/common';
import { ApplicationError } from '../application/application-error';
import type { InboxQueryDto, OutboxQueryDto } from './inbox-query.dto';
import type { ListOrder } from './list-order';
import { RestrictedCases } from '../cases/restricted-cases';
import { inboxOrder, MessageReadRepository, outboxOrder } from './message-read.repository';
import type { InboxPageView, OutboxPageView } from './message.views';
import { recipientView } from './open-message.usecase';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The cursor's position, refused when it came from the same list in another order. */
function positionIn(order: ListOrder, query: { cursor?: string }): CursorPosition | null {
  const position = cursorOf(query);
  if (position && !order.fits(position)) throw ApplicationError.field('cursor', 'is from this list in another order');
  return position;
}

/** The inbox and the outbox of the caller's agency, a page at a time, for the API and the console alike. */
@Injectable()
export class MessageListsUseCase {
  constructor(
    private readonly messages: MessageReadRepository,
    private readonly restrictions: RestrictedCases,
  ) {}

  /** The page without the messages of cases restricted from the caller (its cursor still from the whole page). */
  private async unrestricted<P extends { items: { caseReference: string }[] }>(caller: Caller, result: P): Promise<P> {
    return { ...result, items: await this.restrictions.visibleTo(caller, result.items, (item) => item.caseReference) };
  }

  /** Messages delivered to the caller's agency, with its receipt state. */
  async inbox(query: InboxQueryDto, caller: Caller): Promise<InboxPageView> {
    const limit = query.limit ?? 25;
    const order = inboxOrder(query.sort, query.order);
    const rows = await this.messages.inbox(caller.agency, query, order, limit + 1, positionIn(order, query));
    return this.unrestricted(
      caller,
      page(
        rows,
        limit,
        (row) => ({
          id: row.id,
          type: row.type,
          priority: row.priority,
          handlingCode: row.handling_code,
          caseReference: row.case_reference,
          jit: row.jit_id,
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
        (row) => MessageReadRepository.position(row, row.delivered_at),
      ),
    );
  }

  /** Messages the caller's agency sent, with every recipient's state. */
  async outbox(query: OutboxQueryDto, caller: Caller): Promise<OutboxPageView> {
    const limit = query.limit ?? 25;
    const order = outboxOrder(query.sort, query.order);
    const rows = await this.messages.outbox(caller.agency, query, order, limit + 1, positionIn(order, query));
    return this.unrestricted(
      caller,
      page(
        rows,
        limit,
        (row) => ({
          id: row.id,
          type: row.type,
          priority: row.priority,
          handlingCode: row.handling_code,
          caseReference: row.case_reference,
          jit: row.jit_id,
          subject: row.subject,
          submittedAt: row.submitted_at.toISOString(),
          recipients: row.recipients.map((r) => recipientView(r, true)),
        }),
        (row) => MessageReadRepository.position(row, row.submitted_at),
      ),
    );
  }
}
