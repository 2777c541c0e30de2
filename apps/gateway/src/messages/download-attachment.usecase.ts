import { servedStoredType, type HandlingCode } from '@liaison/domain';
import { CaseKeys, openFileKey } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { OpenMessageUseCase } from './open-message.usecase';
import { AttachmentStore } from '../attachments/attachment-store';
import { AttachmentRepository } from '../attachments/attachment.repository';

export interface Download {
  /** The plain bytes, each segment checked as it is read. */
  stream: Readable;
  size: number;
  sha256: string;
  /** The type it is served as: what its bytes were found to be, if that is on the list of served types. */
  contentType: string;
  fileName: string;
  /** The handling code of its message (H1 attachments carry the provider's marking). */
  handling: HandlingCode | null;
}

/**
 * The n-th attachment (from 1) of a message the caller's agency may read: opening the message first (audited,
 * the read receipt), refused while an H3 restriction waits for acknowledgement, and audited as downloaded.
 */
@Injectable()
export class DownloadAttachmentUseCase {
  constructor(
    private readonly store: AttachmentStore,
    private readonly attachments: AttachmentRepository,
    private readonly openMessage: OpenMessageUseCase,
    private readonly audit: AuditTrail,
    private readonly keys: CaseKeys,
    private readonly dataSource: DataSource,
  ) {}

  async execute(messageId: string, n: number, caller: Caller, correlationId: string): Promise<Download> {
    const message = await this.openMessage.execute(messageId, caller, correlationId);
    if (message.acknowledgementRequired)
      throw new ApplicationError(
        ErrorCode.Forbidden,
        `message ${messageId} is H3: acknowledge its restriction before downloading its attachments`,
      );
    const attachment = (await this.attachments.ofMessage(messageId)).find((a) => a.ordinal === n);
    const named = message.attachments?.find((a) => a.number === n);
    if (!attachment || !named)
      throw new ApplicationError(ErrorCode.NotFound, `message ${messageId} has no attachment ${n}`);
    // The file's own key is sealed under the case's key: an erased case's files open for no one.
    const file =
      attachment.file_id && attachment.file_key
        ? await this.store.open(
            attachment.file_id,
            openFileKey(
              await this.keys.keyOf(this.dataSource, message.caseReference),
              message.caseReference,
              messageId,
              n,
              attachment.file_key,
            ),
          )
        : await this.store.openClear(attachment.sha256);
    if (!file) throw new Error(`attachment ${n} of message ${messageId} is missing from the store`);
    await this.audit.record(
      caller,
      {
        action: 'attachment.downloaded',
        objectType: 'attachment',
        objectId: attachment.sha256,
        detail: `message ${messageId}`,
      },
      correlationId,
    );
    return {
      stream: file.stream,
      size: Number(attachment.size),
      sha256: attachment.sha256,
      contentType: servedStoredType(attachment.content_type),
      fileName: named.fileName,
      handling: message.handling?.code ?? null,
    };
  }
}
