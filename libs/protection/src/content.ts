import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  CaseDetailsSchema,
  entitiesFromProto,
  entitiesToProto,
  linksFromProto,
  linksToProto,
  MessageContentSchema,
  type EntityJson,
} from '@liaison/contracts';
import type { EntityLink } from '@liaison/domain';
import { usableKey, type CaseKeyLookup, type CaseKeys, type Queryable } from './case-keys';
import { open, seal } from './sealing';

/** What a message says: its personal content, sealed as one value under its case's data key. */
export interface MessageText {
  subject: string;
  body: string;
  entities: EntityJson[];
  links: EntityLink[];
  /** The H3 restriction in the provider's words; empty for other handling codes. */
  handlingRestriction: string;
  /** The attachments' file names, in the message's order. */
  attachmentNames: string[];
}

/** What a case is called: sealed under its data key as well. */
export interface CaseNames {
  title: string;
  operationName: string;
}

const messageBinding = (caseReference: string, messageId: string) =>
  `liaison.v1.MessageContent/${caseReference}/${messageId}`;
const caseBinding = (caseReference: string) => `liaison.v1.CaseDetails/${caseReference}`;

/** The message's text as a MessageContent's bytes, before sealing. */
export function encodeMessageText(text: MessageText): Uint8Array {
  return toBinary(
    MessageContentSchema,
    create(MessageContentSchema, {
      subject: text.subject,
      body: text.body,
      entities: entitiesToProto(text.entities),
      links: linksToProto(text.links),
      handlingRestriction: text.handlingRestriction,
      attachmentNames: text.attachmentNames,
    }),
  );
}

/** The message's text sealed for its case and id: the bytes of MessageSubmitted.sealed_content and messages.content. */
export function sealMessageText(key: Buffer, caseReference: string, messageId: string, text: MessageText): Buffer {
  return seal(key, encodeMessageText(text), messageBinding(caseReference, messageId));
}

/** The text of a sealed message; SealBrokenError when it was altered, moved or belongs to another case. */
export function openMessageText(
  key: Buffer,
  caseReference: string,
  messageId: string,
  sealed: Uint8Array,
): MessageText {
  const plain = open(key, sealed, messageBinding(caseReference, messageId), `the content of message ${messageId}`);
  const content = fromBinary(MessageContentSchema, plain);
  return {
    subject: content.subject,
    body: content.body,
    entities: entitiesFromProto(content.entities),
    links: linksFromProto(content.links),
    handlingRestriction: content.handlingRestriction,
    attachmentNames: content.attachmentNames,
  };
}

export function sealCaseNames(key: Buffer, caseReference: string, names: CaseNames): Buffer {
  return seal(key, toBinary(CaseDetailsSchema, create(CaseDetailsSchema, names)), caseBinding(caseReference));
}

export function openCaseNames(key: Buffer, caseReference: string, sealed: Uint8Array): CaseNames {
  const { title, operationName } = fromBinary(
    CaseDetailsSchema,
    open(key, sealed, caseBinding(caseReference), `the details of case ${caseReference}`),
  );
  return { title, operationName };
}

/** A stored message's sealed content with what it is bound to. */
export interface SealedMessageRow {
  id: string;
  case_reference: string;
  content: Buffer;
}

/**
 * Opens the content of each row with its case's key (one read of `case_keys` for the keys not in memory) and
 * hands back each row without its sealed bytes and with its text. A row of an erased case is an error, or left
 * out with `skipErased` (a reader that may race an erasure: what was erased is not there to read).
 */
export async function openMessageRows<R extends SealedMessageRow>(
  keys: CaseKeys,
  db: Queryable,
  rows: R[],
  { skipErased = false } = {},
): Promise<(Omit<R, 'content'> & { text: MessageText })[]> {
  if (rows.length === 0) return [];
  const found = await keys.keysOf(
    db,
    rows.map((row) => row.case_reference),
  );
  return rows
    .filter((row) => !(skipErased && found.get(row.case_reference) === 'erased'))
    .map(({ content, ...row }) => ({
      ...row,
      text: openMessageText(usableKey(found, row.case_reference), row.case_reference, row.id, content),
    }));
}

/** A stored case's sealed names (null when it has none). */
export interface SealedCaseRow {
  reference: string;
  details: Buffer | null;
}

/** Hands back each case row without its sealed names and with its title and operation name (null when none). */
export async function openCaseRows<R extends SealedCaseRow>(
  keys: CaseKeys,
  db: Queryable,
  rows: R[],
): Promise<(Omit<R, 'details'> & { title: string | null; operation_name: string | null })[]> {
  const sealed = rows.filter((row) => row.details !== null);
  const found: CaseKeyLookup =
    sealed.length > 0
      ? await keys.keysOf(
          db,
          sealed.map((row) => row.reference),
        )
      : new Map<string, Buffer | 'erased'>();
  return rows.map(({ details, ...row }) => {
    if (details === null) return { ...row, title: null, operation_name: null };
    const names = openCaseNames(usableKey(found, row.reference), row.reference, details);
    return { ...row, title: names.title || null, operation_name: names.operationName || null };
  });
}
