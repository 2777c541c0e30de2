import { openUploadName, RowKeys } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** An upload with its key and its name opened. */
export interface Upload {
  id: string;
  sha256: string;
  size: string;
  contentType: string;
  fileName: string;
  /** Null for a file stored in clear before sealing, until it is sealed. */
  fileId: string | null;
  key: Buffer;
}

/**
 * An attachment of a routed message; its name is in the message's sealed content (MessageText.attachmentNames), its
 * file's key sealed under the case's key.
 */
export interface MessageAttachmentRow {
  ordinal: number;
  sha256: string;
  content_type: string;
  size: string;
  file_id: string | null;
  file_key: Buffer | null;
}

/** Uploads (the gateway's) and the attachments of routed messages (the router's). */
@Injectable()
export class AttachmentRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: RowKeys,
  ) {}

  /** Records an upload whose file (`id`) was sealed under `key`; its name is sealed under the same key. */
  async recordUpload(upload: {
    id: string;
    key: { masterKeyId: string; wrapped: Buffer };
    agency: string;
    keyId: string;
    sha256: string;
    size: number;
    name: Buffer;
    contentType: string;
    at: Date;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO uploads (id, file_id, master_key_id, wrapped_key, agency_code, key_id, sha256, size, name, content_type, uploaded_at)
       VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        upload.id,
        upload.key.masterKeyId,
        upload.key.wrapped,
        upload.agency,
        upload.keyId,
        upload.sha256,
        upload.size,
        upload.name,
        upload.contentType,
        upload.at,
      ],
    );
  }

  /** The agency's uploads among `ids`, keys and names opened; others' uploads are not found. */
  async uploads(ids: string[], agency: string): Promise<Map<string, Upload>> {
    const rows: {
      id: string;
      sha256: string;
      size: string;
      content_type: string;
      file_id: string | null;
      master_key_id: string;
      wrapped_key: Buffer;
      name: Buffer;
    }[] = await this.dataSource.query(
      `SELECT id, sha256, size, content_type, file_id, master_key_id, wrapped_key, name
         FROM uploads WHERE id = ANY($1::uuid[]) AND agency_code = $2`,
      [ids, agency],
    );
    return new Map(
      rows.map((row) => {
        const key = this.keys.keyOf('upload', row.id, row);
        const upload: Upload = {
          id: row.id,
          sha256: row.sha256,
          size: row.size,
          contentType: row.content_type,
          fileName: openUploadName(key, row.id, row.name),
          fileId: row.file_id,
          key,
        };
        return [row.id, upload];
      }),
    );
  }

  ofMessage(messageId: string): Promise<MessageAttachmentRow[]> {
    return this.dataSource.query(
      'SELECT ordinal, sha256, content_type, size, file_id, file_key FROM message_attachments WHERE message_id = $1 ORDER BY ordinal',
      [messageId],
    );
  }
}
