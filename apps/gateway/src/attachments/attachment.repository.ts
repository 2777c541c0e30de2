import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface UploadRow {
  id: string;
  sha256: string;
  size: string;
  file_name: string;
  content_type: string;
}

/** An attachment of a routed message; its name is in the message's sealed content (MessageText.attachmentNames). */
export interface MessageAttachmentRow {
  ordinal: number;
  sha256: string;
  content_type: string;
  size: string;
}

/** Uploads (the gateway's) and the attachments of routed messages (the router's). */
@Injectable()
export class AttachmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordUpload(upload: {
    id: string;
    agency: string;
    keyId: string;
    sha256: string;
    size: number;
    fileName: string;
    contentType: string;
    at: Date;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO uploads (id, agency_code, key_id, sha256, size, file_name, content_type, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        upload.id,
        upload.agency,
        upload.keyId,
        upload.sha256,
        upload.size,
        upload.fileName,
        upload.contentType,
        upload.at,
      ],
    );
  }

  /** The agency's uploads among `ids`; others' uploads are not found. */
  async uploads(ids: string[], agency: string): Promise<Map<string, UploadRow>> {
    const rows: UploadRow[] = await this.dataSource.query(
      'SELECT id, sha256, size, file_name, content_type FROM uploads WHERE id = ANY($1::uuid[]) AND agency_code = $2',
      [ids, agency],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  ofMessage(messageId: string): Promise<MessageAttachmentRow[]> {
    return this.dataSource.query(
      'SELECT ordinal, sha256, content_type, size FROM message_attachments WHERE message_id = $1 ORDER BY ordinal',
      [messageId],
    );
  }
}
