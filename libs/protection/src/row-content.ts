import { open, seal } from './sealing';

/** An upload's file name sealed under the upload's own key. */
export function sealUploadName(key: Buffer, uploadId: string, name: string): Buffer {
  return seal(key, Buffer.from(name, 'utf8'), `liaison.upload-name/${uploadId}`);
}

export function openUploadName(key: Buffer, uploadId: string, sealed: Uint8Array): string {
  return open(key, sealed, `liaison.upload-name/${uploadId}`, `the name of upload ${uploadId}`).toString('utf8');
}

/** A draft's fields (JSON) sealed under the draft's own key. */
export function sealDraft(key: Buffer, draftId: string, content: unknown): Buffer {
  return seal(key, Buffer.from(JSON.stringify(content), 'utf8'), `liaison.draft/${draftId}`);
}

export function openDraft<T>(key: Buffer, draftId: string, sealed: Uint8Array): T {
  return JSON.parse(open(key, sealed, `liaison.draft/${draftId}`, `draft ${draftId}`).toString('utf8')) as T;
}

/**
 * An attached file's own key sealed under its case's key, bound to the message and the attachment's place in it:
 * erasing the case leaves the file unreadable even where a copy of it survives.
 */
export function sealFileKey(
  caseKey: Buffer,
  caseReference: string,
  messageId: string,
  ordinal: number,
  fileKey: Buffer,
): Buffer {
  return seal(caseKey, fileKey, `liaison.file-key/${caseReference}/${messageId}/${ordinal}`);
}

export function openFileKey(
  caseKey: Buffer,
  caseReference: string,
  messageId: string,
  ordinal: number,
  sealed: Uint8Array,
): Buffer {
  return open(
    caseKey,
    sealed,
    `liaison.file-key/${caseReference}/${messageId}/${ordinal}`,
    `the key of attachment ${ordinal} of message ${messageId}`,
  );
}

/** What an attached file is bound to on disk: its own id. */
export function fileBinding(fileId: string): string {
  return `liaison.file/${fileId}`;
}
