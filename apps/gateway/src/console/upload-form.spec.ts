import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { CsrfProblem } from '../sessions/session-authenticator';
import { readUploadForm } from './upload-form';

describe('readUploadForm', () => {
  const token = 't'.repeat(43);
  const boundary = 'liaison-boundary';
  const limits = { fileBytes: 16, fieldBytes: 64 };

  /** A multipart body as a browser sends the form: fields and at most one file, in the order given. */
  function request(parts: ({ name: string; value: string } | { name: string; file: string; content: string })[]) {
    const body =
      parts
        .map((part) =>
          'file' in part
            ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.file}"\r\nContent-Type: text/plain\r\n\r\n${part.content}\r\n`
            : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
        )
        .join('') + `--${boundary}--\r\n`;
    const raw = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
    return { raw, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }

  /** Stores by reading the whole file, refusing one over the limit as the attachment store does. */
  const store = async (name: string, content: Readable) => {
    let text = '';
    for await (const chunk of content) text += String(chunk);
    if (text.length > limits.fileBytes) throw new ApplicationError(ErrorCode.PayloadTooLarge, 'too large');
    return { name, text };
  };

  it('gives the fields as a url-encoded form would, repeated names as lists, and the file stored', async () => {
    const form = await readUploadForm(
      request([
        { name: '_csrf', value: token },
        { name: 'recipients', value: 'RO-ENU' },
        { name: 'recipients', value: 'BG-ENU' },
        { name: 'subject', value: 'Ledger' },
        { name: 'file', file: 'ledger.csv', content: 'a,b\n1,2' },
        { name: 'action', value: 'attach' },
      ]),
      token,
      limits,
      store,
    );
    expect(form.fields).toEqual({
      _csrf: token,
      recipients: ['RO-ENU', 'BG-ENU'],
      subject: 'Ledger',
      action: 'attach',
    });
    expect(form.stored).toEqual({ name: 'ledger.csv', text: 'a,b\n1,2' });
    expect(form.refused).toBeNull();
  });

  it('refuses a form whose first field is not the session token, storing nothing', async () => {
    const stored = jest.fn(store);
    for (const parts of [
      [
        { name: 'subject', value: 'x' },
        { name: '_csrf', value: token },
      ],
      [{ name: '_csrf', value: 'u'.repeat(43) }],
      [
        { name: 'file', file: 'a.txt', content: 'a' },
        { name: '_csrf', value: token },
      ],
    ])
      await expect(readUploadForm(request(parts), token, limits, stored)).rejects.toBeInstanceOf(CsrfProblem);
    expect(stored).not.toHaveBeenCalled();
  });

  it('keeps the fields when the file is refused, and says why', async () => {
    const form = await readUploadForm(
      request([
        { name: '_csrf', value: token },
        { name: 'subject', value: 'Kept' },
        { name: 'file', file: 'big.bin', content: 'x'.repeat(100) },
      ]),
      token,
      limits,
      store,
    );
    expect(form.fields.subject).toBe('Kept');
    expect(form.stored).toBeNull();
    expect(form.refused?.code).toBe(ErrorCode.PayloadTooLarge);
  });

  it('gives no file when none was chosen (an empty file name)', async () => {
    const form = await readUploadForm(
      request([
        { name: '_csrf', value: token },
        { name: 'file', file: '', content: '' },
      ]),
      token,
      limits,
      store,
    );
    expect(form.stored).toBeNull();
    expect(form.refused).toBeNull();
  });

  it('refuses a field longer than the limit rather than cutting it short', async () => {
    await expect(
      readUploadForm(
        request([
          { name: '_csrf', value: token },
          { name: 'body', value: 'y'.repeat(65) },
        ]),
        token,
        limits,
        store,
      ),
    ).rejects.toMatchObject({ errors: [{ field: 'body', message: 'is too long' }] });
  });
});
