import { textProblem } from './text';

/** Longest file name kept; longer names are refused. */
export const FILE_NAME_MAX = 255;

/** Bidirectional formatting characters: they let `invoice‮fdp.exe` read as `invoiceexe.pdf`. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** Names Windows reserves for devices, with or without an extension (`CON`, `nul.txt`, `COM1.pdf`). */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.[^.]*)*$/i;

/**
 * Why a file name cannot be kept, or null. The name travels to every recipient and is offered when the file is
 * saved, on whatever system they use: it must be a single line, one path segment, readable as it is displayed,
 * and usable on Windows.
 */
export function fileNameProblem(name: string): string | null {
  if (name.trim() === '') return 'must not be empty';
  if (name.length > FILE_NAME_MAX) return `must be at most ${FILE_NAME_MAX} characters`;
  const text = textProblem(name, 'single-line');
  if (text) return text;
  if (/[/\\]/.test(name)) return 'must not contain a path separator (/ or \\)';
  if (name === '.' || name === '..') return 'must name a file, not a directory';
  const bidi = BIDI_CONTROLS.exec(name);
  if (bidi)
    return `must not contain the bidirectional control U+${bidi[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (it hides what the name says)`;
  if (DEVICE_NAME.test(name.trim()))
    return 'must not be a device name Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9)';
  if (/[. ]$/.test(name)) return 'must not end with a dot or a space';
  return null;
}

/**
 * Media types an attachment is served as when its bytes show it to be one: documents, images, audio, video and
 * archives that investigators exchange. Anything else (HTML, SVG, scripts, executables, and whatever the bytes
 * do not show) is served as `application/octet-stream`, to be saved rather than shown.
 */
export const SERVED_MEDIA_TYPES = new Set([
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/tiff',
  'image/bmp',
  'image/heic',
  'image/heif',
  'audio/mpeg',
  'audio/wav',
  'audio/x-wav',
  'audio/ogg',
  'audio/mp4',
  'video/mp4',
  'video/quicktime',
  'video/x-msvideo',
  'video/webm',
  'application/zip',
  'application/x-7z-compressed',
  'application/gzip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.ms-outlook',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'text/plain',
]);

export const UNKNOWN_MEDIA_TYPE = 'application/octet-stream';

/** A type the content's signature allows (one signature often fits several: a .docx is a zip). */
export interface SignatureMatch {
  mime?: string | null;
  extension?: string | null;
  typename?: string;
}

/**
 * The type an attachment is stored and served as, from what its bytes are, never from what the uploader
 * declared. Among the types its signature allows, the one its file name's extension names is taken (a zip
 * named `.docx` is a Word document), else the first; content without a signature that reads as UTF-8 text is
 * `text/plain`. What is not on the list is `application/octet-stream`.
 */
export function servedMediaType(matches: readonly SignatureMatch[], fileName: string, readsAsText: boolean): string {
  const allowed = matches.filter(
    (m): m is SignatureMatch & { mime: string } => typeof m.mime === 'string' && SERVED_MEDIA_TYPES.has(m.mime),
  );
  if (matches.length === 0) return readsAsText ? 'text/plain' : UNKNOWN_MEDIA_TYPE;
  if (allowed.length === 0) return UNKNOWN_MEDIA_TYPE;
  const extension = /\.([A-Za-z0-9]{1,10})$/.exec(fileName)?.[1].toLowerCase();
  const named = allowed.find((m) => (m.extension ?? m.typename)?.toLowerCase() === extension);
  return (named ?? allowed[0]).mime;
}

/** The type to serve a stored attachment as: what was stored, if it is on the list (older uploads kept what was declared). */
export function servedStoredType(stored: string): string {
  return SERVED_MEDIA_TYPES.has(stored) ? stored : UNKNOWN_MEDIA_TYPE;
}

/**
 * Whether the first bytes of a file read as text: UTF-8 (a character cut by the end of the sample aside) with
 * no control character but tab, line feed, form feed and carriage return.
 */
export function readsAsText(head: Uint8Array, complete: boolean): boolean {
  if (head.length === 0) return false;
  let end = head.length;
  if (!complete) {
    // Drop a multi-byte character the sample cut off.
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && (head[end - back - 1] & 0xc0) === 0x80) back += 1;
    const lead = head[end - back - 1];
    const width = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (width > back + 1) end -= back + 1;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}
