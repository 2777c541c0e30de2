import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import type { Caller } from '../auth/caller';
import { cursorOf, page } from '../application/pagination';
import { settle } from '../application/settle';
import { AcceptedCasesRepository } from './accepted-cases.repository';
import { CaseReadRepository, type CaseRow, type ReceiptRow } from './case-read.repository';
import type { CaseListQueryDto } from './case.dto';
import type { CasePageView, CaseSummaryView, CaseView, ReceiptView } from './case.views';
import { caseStixBundle } from './stix-bundle';
import { RestrictedCases } from './restricted-cases';
import { AuditTrail } from '../audit/audit-trail';

export function caseSummary(row: CaseRow): CaseSummaryView {
  return {
    reference: row.reference,
    owner: { code: row.owner_agency, name: row.owner_name },
    openedAt: row.opened_at.toISOString(),
    title: row.title,
    crimeArea: row.crime_area,
    operationName: row.operation_name,
    status: row.status,
    closedAt: row.closed_at?.toISOString() ?? null,
    jit: row.jit_id,
    participants: row.participants,
    lastActivityAt: row.last_activity_at.toISOString(),
  };
}

const isoOrNull = (value: string | null) => (value === null ? null : new Date(value).toISOString());

function receiptView(row: ReceiptRow): ReceiptView {
  return {
    agency: row.agency,
    state: row.state,
    deliveredAt: new Date(row.deliveredAt).toISOString(),
    readAt: isoOrNull(row.readAt),
    answeredAt: isoOrNull(row.answeredAt),
  };
}

/** Cases as the caller's agency sees them, for the API and the console alike. */
@Injectable()
export class ReadCaseUseCase {
  constructor(
    private readonly cases: CaseReadRepository,
    private readonly acceptedCases: AcceptedCasesRepository,
    private readonly audit: AuditTrail,
    private readonly restrictions: RestrictedCases,
  ) {}

  /** Cases the caller's agency takes part in, most recently active first. */
  async list(query: CaseListQueryDto, caller: Caller): Promise<CasePageView> {
    const limit = query.limit ?? 25;
    const rows = await this.cases.list(caller.agency, query, limit + 1, cursorOf(query));
    const result = page(rows, limit, caseSummary, (row) => ({ at: row.last_activity_at, id: row.reference }));
    // Restricted cases are left out for all but their owner's supervisors (the cursor still from the whole page).
    return { ...result, items: await this.restrictions.visibleTo(caller, result.items, (item) => item.reference) };
  }

  /**
   * A case and the messages in it that the caller's agency may see. Any other case is a 404, except one the
   * agency opened a moment ago: that is waited for (the router stores it within moments), so the person who
   * opened it never reads "no such case".
   */
  async get(reference: string, caller: Caller): Promise<CaseView> {
    const found = await this.visible(reference, caller);
    const thread = await this.cases.thread(reference, caller.agency);
    return {
      ...caseSummary(found),
      messages: thread.map((row) => ({
        id: row.id,
        type: row.type,
        priority: row.priority,
        sender: row.sender_agency,
        recipients: row.recipients,
        subject: row.subject,
        submittedAt: row.submitted_at.toISOString(),
        inReplyTo: row.in_reply_to,
        receipts: row.receipts.map(receiptView),
      })),
    };
  }

  /** The entities of the case's messages the caller may read, each with its message. */
  async entities(reference: string, caller: Caller) {
    await this.visible(reference, caller);
    const rows = await this.cases.entities(reference, caller.agency, caller.id);
    return rows.map((row) => ({ messageId: row.message_id, subject: row.subject, entity: row.entity }));
  }

  /**
   * The case's entities as a STIX 2.1 bundle, for the owning agency alone (a participant is refused, anyone else
   * gets the 404 of a case it does not take part in), with only what H0 and H1 messages carried. Audited.
   */
  async exportStix(reference: string, caller: Caller, correlationId: string): Promise<Record<string, unknown>> {
    const found = await this.visible(reference, caller);
    if (found.owner_agency !== caller.agency)
      throw new ApplicationError(
        ErrorCode.Forbidden,
        `only the case's owner, ${found.owner_agency}, may export it; ask it for what you need`,
      );
    const rows = await this.cases.exportable(reference, caller.agency);
    const objects = (value: unknown[] | null) =>
      (value ?? []).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
    const bundle = caseStixBundle(
      {
        reference,
        owner: { code: found.owner_agency, name: found.owner_name },
        openedAt: found.opened_at.toISOString(),
        crimeArea: found.crime_area,
        entities: rows.flatMap((row) =>
          objects(row.entities).map((entity) => ({
            messageId: row.id,
            submittedAt: row.submitted_at.toISOString(),
            entity,
          })),
        ),
        links: rows.flatMap((row) =>
          objects(row.entity_links).map((link) => ({
            messageId: row.id,
            from: String(link.from),
            to: String(link.to),
            relation: String(link.relation),
          })),
        ),
      },
      new Date(),
    );
    await this.audit.record(
      caller,
      { action: 'case.exported', objectType: 'case', objectId: reference },
      correlationId,
    );
    return bundle;
  }

  /** The attachments of the case's messages the caller may read. */
  async attachments(reference: string, caller: Caller) {
    await this.visible(reference, caller);
    const rows = await this.cases.attachments(reference, caller.agency, caller.id);
    return rows.map((row) => ({
      messageId: row.message_id,
      subject: row.subject,
      number: row.ordinal,
      fileName: row.file_name,
      contentType: row.content_type,
      size: Number(row.size),
    }));
  }

  /** The forwards of the case's messages that involve the caller's agency. */
  async forwards(reference: string, caller: Caller) {
    await this.visible(reference, caller);
    const rows = await this.cases.forwards(reference, caller.agency);
    return rows.map((row) => ({
      id: row.id,
      messageId: row.message_id,
      subject: row.subject,
      provider: row.provider_agency,
      from: row.from_agency,
      to: row.to_agency,
      state: row.state,
      requestedAt: row.requested_at.toISOString(),
      decidedAt: row.decided_at?.toISOString() ?? null,
    }));
  }

  /** The case if the caller's agency may see it (one it opened a moment ago is waited for); otherwise a 404. */
  private async visible(reference: string, caller: Caller): Promise<CaseRow> {
    let found = await this.cases.find(reference, caller.agency);
    if (!found && (await this.acceptedCases.awaitingRouter(reference, caller.agency)))
      found = await settle(
        () => this.cases.find(reference, caller.agency),
        (row) => row !== null,
      );
    if (!found || (await this.restrictions.hiddenFrom(caller, [reference])).size > 0)
      throw new ApplicationError(ErrorCode.NotFound, `no case ${reference} in which ${caller.agency} takes part`);
    return found;
  }
}
