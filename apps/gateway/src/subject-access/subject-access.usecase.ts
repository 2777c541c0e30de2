import { utcDay } from '@liaison/common';
import { entityMatchKeys, entityProblems, messageMatchKeys, type MatchKey } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { MatchKeyValues } from '../matches/match-key-values';
import { SubjectAccessRepository, type Consultation, type HeldMessage } from './subject-access.repository';

/** What a data-protection officer searches for: a person by name and date of birth, or one identifier. */
export type SubjectSearch = (
  | { person: { names: string[]; dateOfBirth: string }; identifier?: undefined }
  | { identifier: Record<string, unknown>; person?: undefined }
) & {
  /** The country that reads a phone number written in national form (as a message's sender's does). */
  country?: string;
};

const IDENTIFIER_TYPES = ['phone', 'email', 'identity-document', 'bank-account', 'vehicle', 'social-media'];

export interface SubjectAccessReport {
  searchId: string;
  searchedAt: string;
  agency: string;
  /** What was searched for, as given (the officer's own request, shown back to them). */
  query: Record<string, unknown>;
  totals: { cases: number; messages: number; consultations: number };
  cases: {
    reference: string;
    title: string | null;
    ownerAgency: string;
    status: string;
    restricted: boolean;
    messages: {
      id: string;
      submittedAt: string;
      direction: 'sent' | 'received';
      senderAgency: string;
      subject: string;
      /** The entities that hold what was searched for; `exact` or, for a name that only sounds alike, `possible`. */
      matched: { ref: string; entity: Record<string, unknown>; certainty: 'exact' | 'possible' }[];
      /** Found in the subject or body rather than as an entity. */
      inText: boolean;
      consultations: { at: string; action: string; agency: string; principalType: string; principalId: string }[];
    }[];
  }[];
}

/**
 * Subject access for a data-protection officer (read-only, their own agency): everything the agency holds on a
 * person or an identifier, found through the blind match index and confirmed message by message, with who
 * consulted each message (from the audit trail). Every search is itself audited, before its answer, with what
 * kind of search it was and how much it found, never what was searched for.
 */
@Injectable()
export class SubjectAccessUseCase {
  constructor(
    private readonly held: SubjectAccessRepository,
    private readonly values: MatchKeyValues,
    private readonly audit: AuditTrail,
  ) {}

  async search(request: SubjectSearch, caller: Caller, correlationId: string): Promise<SubjectAccessReport> {
    const { entity, query } = searchedEntity(request);
    const keys = entityMatchKeys(entity, request.country);
    if (keys.length === 0)
      throw new ApplicationError(
        ErrorCode.InvalidMatchKey,
        'the search gives nothing to look for (a number or checksum that is not valid, or a field missing)',
        [{ field: request.person ? 'person' : 'identifier', message: 'gives nothing to look for' }],
      );
    const blind = new Map(keys.map((key) => [this.values.blind(key.key), key]));
    const cases = await this.held.casesHolding([...blind.keys()], caller.agency);
    const messages = (
      await this.held.messagesOf(
        cases.map((c) => c.reference),
        caller.agency,
      )
    )
      .map((message) => ({ message, found: this.found(message, blind) }))
      .filter(({ found }) => found.matched.length > 0 || found.inText);
    const consultations = await this.held.consultations(
      messages.map(({ message }) => message.id),
      cases.map((c) => c.reference),
    );
    const searchId = randomUUID();
    const holding = cases.filter((c) => messages.some(({ message }) => message.case_reference === c.reference));
    await this.audit.record(
      caller,
      {
        action: 'subject-access.searched',
        objectType: 'subject-access',
        objectId: searchId,
        detail: `${request.person ? 'person' : `${String(request.identifier.type)}`}: ${messages.length} messages in ${holding.length} cases`,
      },
      correlationId,
    );
    return {
      searchId,
      searchedAt: new Date().toISOString(),
      agency: caller.agency,
      query,
      totals: { cases: holding.length, messages: messages.length, consultations: consultations.length },
      cases: holding.map((c) => ({
        reference: c.reference,
        title: c.title,
        ownerAgency: c.owner_agency,
        status: c.status,
        restricted: c.restricted,
        messages: messages
          .filter(({ message }) => message.case_reference === c.reference)
          .map(({ message, found }) => ({
            id: message.id,
            submittedAt: message.submitted_at.toISOString(),
            direction: message.sender_agency === caller.agency ? ('sent' as const) : ('received' as const),
            senderAgency: message.sender_agency,
            subject: message.text.subject,
            ...found,
            consultations: consultationsOf(message.id, consultations),
          })),
      })),
    };
  }

  /** The message's entities (and text) that give any of the searched keys. */
  private found(message: HeldMessage, searched: Map<string, MatchKey>) {
    const keys = messageMatchKeys(
      message.text.entities,
      `${message.text.subject}\n${message.text.body}`,
      message.sender_country,
    ).filter((key) => searched.has(this.values.blind(key.key)));
    const matched = new Map<string, 'exact' | 'possible'>();
    for (const key of keys) {
      if (!key.ref) continue;
      const certainty = key.kind === 'person-sound' ? 'possible' : 'exact';
      if (matched.get(key.ref) !== 'exact') matched.set(key.ref, certainty);
    }
    return {
      matched: [...matched].map(([ref, certainty]) => ({
        ref,
        entity: message.text.entities.find((e) => e.ref === ref)!,
        certainty,
      })),
      inText: keys.some((key) => key.extracted),
    };
  }
}

function consultationsOf(messageId: string, all: Consultation[]) {
  return all
    .filter((c) => c.object_id === messageId || c.detail === `message ${messageId}`)
    .map((c) => ({
      at: c.at.toISOString(),
      action: c.action,
      agency: c.agency,
      principalType: c.principal_type || 'api-key',
      principalId: c.principal_id || c.key_id,
    }));
}

/** The search as an entity whose keys are looked for; a 400 naming what is wrong with it. */
function searchedEntity(request: SubjectSearch): { entity: Record<string, unknown>; query: Record<string, unknown> } {
  if ((request.person === undefined) === (request.identifier === undefined))
    throw ApplicationError.field('person', 'search for a person (names and date of birth) or an identifier, not both');
  const entity = request.person
    ? { ref: 's1', type: 'person', names: request.person.names, dateOfBirth: request.person.dateOfBirth }
    : { ...request.identifier, ref: 's1' };
  if (request.identifier && !IDENTIFIER_TYPES.includes(String(request.identifier.type)))
    throw ApplicationError.field('identifier.type', `must be one of ${IDENTIFIER_TYPES.join(', ')}`);
  const problems = entityProblems([entity], [], utcDay(new Date())).map((p) => ({
    field: p.field.replace(/^entities\[0\]\.?/, request.person ? 'person.' : 'identifier.').replace(/\.$/, ''),
    message: p.message,
  }));
  if (problems.length > 0) throw ApplicationError.validation(problems);
  const { ref: _, ...query } = entity;
  return { entity, query };
}
