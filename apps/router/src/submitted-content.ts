import {
  entitiesFromProto,
  evaluationFromProto,
  linksFromProto,
  type EventEnvelope,
  type MessageSubmitted,
} from '@liaison/contracts';
import { firstTextProblem, structureProblem, type TextField, type TextIssue } from '@liaison/domain';
import {
  CaseKeys,
  encodeMessageText,
  openFileKey,
  openMessageText,
  SealBrokenError,
  sealMessageText,
  type MessageText,
} from '@liaison/protection';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import type { RouterConfig } from './router.config';
import { DataSource } from 'typeorm';

/**
 * The content of submitted messages as the router stores it, and the text rules it is held to: another producer
 * than the gateway may send anything, so nothing the database would refuse, and no content that does not open
 * with its case's key, is stored.
 */
@Injectable()
export class SubmittedContent {
  private readonly sealing: boolean;

  constructor(
    private readonly keys: CaseKeys,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: RouterConfig,
  ) {
    this.sealing = config.CONTENT_SEALING === 'on';
    if (!this.sealing && process.env.BENCHMARK_RUN !== '1')
      throw new Error('CONTENT_SEALING=off-for-measurement is for bench:pipeline only (it needs BENCHMARK_RUN=1)');
  }

  /**
   * Each message's content as it will be stored, sealed under its case's key: sealed content is opened once to
   * hold it to the text rules (and to prove it was sealed for this message), then stored as it came; content
   * in clear (a record from before sealing) is checked, then sealed here, the case given a key if it has none.
   */
  async prepare(events: readonly EventEnvelope<MessageSubmitted>[]): Promise<{
    contents: Map<string, Buffer>;
    invalid: Map<string, TextIssue>;
    erased: Set<string>;
  }> {
    const contents = new Map<string, Buffer>();
    const invalid = new Map<string, TextIssue>();
    const erased = new Set<string>();
    for (const { payload } of events) {
      const issue = submittedTextProblem(payload) ?? attachmentFileProblem(payload);
      if (issue) invalid.set(payload.messageId, issue);
    }
    // Only well-formed references are looked up: text the database would refuse never reaches it.
    const wellFormed = events.filter((e) => !invalid.has(e.payload.messageId));
    if (!this.sealing) return { contents: unsealedContents(wellFormed, invalid), invalid, erased };
    const keys = await this.keys.keysOf(
      this.dataSource,
      wellFormed.map((e) => e.payload.caseReference),
    );
    for (const { payload } of wellFormed) {
      let key = keys.get(payload.caseReference);
      if (key === 'erased') {
        erased.add(payload.messageId);
        continue;
      }
      const sealed = payload.sealedContent.length > 0;
      if (!key && sealed) {
        invalid.set(payload.messageId, { field: 'sealedContent', message: 'is sealed for a case that has no key' });
        continue;
      }
      key ??= await this.keys.issue(this.dataSource, payload.caseReference);
      keys.set(payload.caseReference, key);
      let text: MessageText;
      try {
        text = sealed
          ? openMessageText(key, payload.caseReference, payload.messageId, payload.sealedContent)
          : clearText(payload);
      } catch (error) {
        if (!(error instanceof SealBrokenError)) throw error;
        invalid.set(payload.messageId, { field: 'sealedContent', message: "does not open with the case's key" });
        continue;
      }
      const problem = contentProblem(text) ?? fileKeyProblem(key, payload);
      if (problem) {
        invalid.set(payload.messageId, problem);
        continue;
      }
      contents.set(
        payload.messageId,
        sealed
          ? Buffer.from(payload.sealedContent)
          : sealMessageText(key, payload.caseReference, payload.messageId, text),
      );
    }
    return { contents, invalid, erased };
  }
}

/**
 * Measurement only (CONTENT_SEALING=off-for-measurement): records in clear held to the same rules and stored as
 * their content's bytes, unsealed, with no key issued; what bench:pipeline compares the sealed pipeline with.
 */
function unsealedContents(
  events: readonly EventEnvelope<MessageSubmitted>[],
  invalid: Map<string, TextIssue>,
): Map<string, Buffer> {
  const contents = new Map<string, Buffer>();
  for (const { payload } of events) {
    const text = clearText(payload);
    const problem = contentProblem(text);
    if (problem) invalid.set(payload.messageId, problem);
    else contents.set(payload.messageId, Buffer.from(encodeMessageText(text)));
  }
  return contents;
}

/** The content of a record from before sealing, as sealing would have it. */
function clearText(payload: MessageSubmitted): MessageText {
  return {
    subject: payload.subject,
    body: payload.body,
    entities: entitiesFromProto(payload.entities),
    links: linksFromProto(payload.links),
    handlingRestriction: payload.handling?.restriction ?? '',
    attachmentNames: payload.attachments.map((a) => a.fileName),
  };
}

/** Every text of a submitted message outside its content held to the rule of its field (see the contract's "Text"). */
function submittedTextProblem(payload: MessageSubmitted): TextIssue | null {
  const lines: TextField[] = [
    { field: 'messageId', value: payload.messageId, kind: 'single-line' },
    { field: 'caseReference', value: payload.caseReference, kind: 'single-line' },
    { field: 'senderAgency', value: payload.senderAgency, kind: 'single-line' },
    ...payload.recipientAgencies.map((value, i) => ({
      field: `recipientAgencies.${i}`,
      value,
      kind: 'single-line' as const,
    })),
    { field: 'inReplyTo', value: payload.inReplyTo, kind: 'single-line' },
    { field: 'jitId', value: payload.jitId, kind: 'single-line' },
    { field: 'classification', value: payload.classification, kind: 'single-line' },
    { field: 'submittedByKeyId', value: payload.submittedByKeyId, kind: 'single-line' },
    ...payload.attachments.flatMap((a, i) => [
      { field: `attachments.${i}.contentType`, value: a.contentType, kind: 'single-line' as const },
      { field: `attachments.${i}.sha256`, value: a.sha256, kind: 'single-line' as const },
    ]),
  ];
  return firstTextProblem(lines) ?? structureProblem(evaluationFromProto(payload.evaluation) ?? null, 'evaluation');
}

const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Each attachment names a sealed file by a UUID and carries its sealed key, or (from before sealing) neither. */
function attachmentFileProblem(payload: MessageSubmitted): TextIssue | null {
  for (const [i, a] of payload.attachments.entries()) {
    if (!/^[0-9a-f]{64}$/.test(a.sha256))
      return { field: `attachments.${i}.sha256`, message: 'must be 64 lower-case hex digits' };
    if (a.fileId !== '' && !FILE_ID.test(a.fileId))
      return { field: `attachments.${i}.fileId`, message: 'must be a lower-case UUID or empty' };
    if ((a.fileId === '') !== (a.sealedKey.length === 0))
      return { field: `attachments.${i}.sealedKey`, message: 'must be given with fileId, and only then' };
  }
  return null;
}

/** Each attached file's key opens with the case's key, for this message and place: none is stored that does not. */
function fileKeyProblem(key: Buffer, payload: MessageSubmitted): TextIssue | null {
  for (const [i, a] of payload.attachments.entries()) {
    if (a.fileId === '') continue;
    try {
      openFileKey(key, payload.caseReference, payload.messageId, i + 1, a.sealedKey);
    } catch (error) {
      if (!(error instanceof SealBrokenError)) throw error;
      return { field: `attachments.${i}.sealedKey`, message: "does not open with the case's key" };
    }
  }
  return null;
}

/** The message's content held to the same rules, wherever it came from. */
export function contentProblem(text: MessageText): TextIssue | null {
  const lines: TextField[] = [
    { field: 'subject', value: text.subject, kind: 'single-line' },
    { field: 'body', value: text.body, kind: 'multiline' },
    { field: 'handling.restriction', value: text.handlingRestriction, kind: 'multiline' },
    ...text.attachmentNames.map((value, i) => ({
      field: `attachments.${i}.fileName`,
      value,
      kind: 'single-line' as const,
    })),
  ];
  return (
    firstTextProblem(lines) ?? structureProblem(text.entities, 'entities') ?? structureProblem(text.links, 'links')
  );
}
