import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A file an agency uploaded, waiting to be attached to its messages. The content lives in the attachment
 * store, sealed under the upload's own data key (wrapped here under the master key); this row records who
 * uploaded it and its name, sealed under the same key. Owned by the gateway.
 */
@Entity({ name: 'uploads' })
@Index('ix_uploads_agency', ['agencyCode', 'uploadedAt'])
@Index('ix_uploads_file', ['fileId'])
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

  /** The sealed file in the attachment store; null for a file stored in clear before sealing, until it is sealed. */
  @Column({ name: 'file_id', type: 'uuid', nullable: true })
  fileId!: string | null;

  @Column({ name: 'master_key_id', type: 'text' })
  masterKeyId!: string;

  /** The upload's data key, wrapped under the master key. */
  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey!: Buffer;

  /** The file name as given by the uploader, sealed under the upload's key (it may hold personal data). */
  @Column({ type: 'bytea' })
  name!: Buffer;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt!: Date;
}

/**
 * A file attached to a routed message; its name is in the message's sealed content and its own key is sealed here
 * under the case's key. Owned by the router.
 */
@Entity({ name: 'message_attachments' })
@Index('ix_message_attachments_sha256', ['sha256'])
@Index('ix_message_attachments_file', ['fileId'])
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

  /** The sealed file in the attachment store; null for a file stored in clear before sealing, until it is sealed. */
  @Column({ name: 'file_id', type: 'uuid', nullable: true })
  fileId!: string | null;

  /** The file's data key sealed under the case's key (liaison.file-key/<case>/<message>/<ordinal>). */
  @Column({ name: 'file_key', type: 'bytea', nullable: true })
  fileKey!: Buffer | null;
}
