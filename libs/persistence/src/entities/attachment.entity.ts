import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A file an agency uploaded, waiting to be attached to its messages. The content lives in the attachment
 * store under its SHA-256; this row records who uploaded it and how it is called. Owned by the gateway.
 */
@Entity({ name: 'uploads' })
@Index('ix_uploads_agency', ['agencyCode', 'uploadedAt'])
export class UploadEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  @Column({ name: 'key_id', type: 'uuid' })
  keyId!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bigint' })
  size!: string;

  /** As given by the uploader. May contain personal data: never logged. */
  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt!: Date;
}

/** A file attached to a routed message, by content hash; its name is in the message's sealed content. Owned by the router. */
@Entity({ name: 'message_attachments' })
@Index('ix_message_attachments_sha256', ['sha256'])
export class MessageAttachmentEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  /** Position in the message, from 1. */
  @PrimaryColumn({ type: 'smallint' })
  ordinal!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ type: 'bigint' })
  size!: string;
}
