import { fileNameProblem, FILE_NAME_MAX, readsAsText, servedMediaType } from '@liaison/domain';
import { RowKeys, sealUploadName } from '@liaison/protection';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import { filetypeinfo } from 'magic-bytes.js';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { PinoLogger } from 'nestjs-pino';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { AttachmentStore, AttachmentTooLargeError } from './attachment-store';
import { AttachmentRepository } from './attachment.repository';

export interface Upload {
  id: string;
  fileName: string;
  /** What the bytes are, never what the uploader declared. */
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Stores a file for the caller's agency to attach to its messages: streamed, sealed, to the attachment store
 * within ATTACHMENT_MAX_BYTES, typed by its bytes, audited, and recorded as the agency's upload.
 */
@Injectable()
export class UploadAttachmentUseCase {
  constructor(
    private readonly store: AttachmentStore,
    private readonly keys: RowKeys,
    private readonly attachments: AttachmentRepository,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.logger.setContext(UploadAttachmentUseCase.name);
  }

  /** `declaredBytes` is the length the client announced, when it did: a larger one is refused unread. */
  async execute(
    name: unknown,
    content: Readable,
    declaredBytes: number,
    caller: Caller,
    correlationId: string,
  ): Promise<Upload> {
    if (typeof name !== 'string')
      throw ApplicationError.field('name', `must be given once: a file name of 1 to ${FILE_NAME_MAX} characters`);
    const nameProblem = fileNameProblem(name);
    if (nameProblem) throw ApplicationError.field('name', nameProblem);
    const limit = this.config.ATTACHMENT_MAX_BYTES;
    if (declaredBytes > limit)
      throw new ApplicationError(
        ErrorCode.PayloadTooLarge,
        `attachments are limited to ${limit} bytes; this one declares ${declaredBytes}`,
      );
    // The file and its name are sealed under a key of the upload's own, wrapped under the master key.
    const id = randomUUID();
    const key = this.keys.issue('upload', id);
    let stored;
    try {
      stored = await this.store.put(content, limit, id, key.key);
    } catch (error) {
      if (error instanceof AttachmentTooLargeError) {
        content.resume(); // read and discard the rest, so the client gets the answer rather than a reset
        throw new ApplicationError(ErrorCode.PayloadTooLarge, `attachments are limited to ${limit} bytes`);
      }
      throw error;
    }
    // What the bytes are decides the type, never the Content-Type the uploader declared.
    const contentType = servedMediaType(
      filetypeinfo(stored.head),
      name,
      readsAsText(stored.head, stored.size <= stored.head.length),
    );
    await this.audit.record(
      caller,
      { action: 'attachment.uploaded', objectType: 'attachment', objectId: stored.sha256, detail: `upload ${id}` },
      correlationId,
    );
    await this.attachments.recordUpload({
      id,
      key,
      agency: caller.agency,
      keyId: caller.id,
      sha256: stored.sha256,
      size: stored.size,
      name: sealUploadName(key.key, id, name),
      contentType,
      at: new Date(),
    });
    this.logger.info({ uploadId: id, sha256: stored.sha256, size: stored.size }, 'attachment uploaded');
    return { id, fileName: name, contentType, size: stored.size, sha256: stored.sha256 };
  }
}
