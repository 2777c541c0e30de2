import {
  fileNameProblem,
  readsAsText,
  servedMediaType,
  servedStoredType,
  UNKNOWN_MEDIA_TYPE,
} from './attachment-rules';

describe('fileNameProblem', () => {
  it.each([
    'statement 1 (Ș).pdf',
    'photo-0412.jpg',
    'Raport poliție 2026.docx',
    '證據.png',
    'a.b.c',
    'CONTRACT.pdf',
    'com10.txt',
    'nullable.txt',
  ])('takes %s', (name) => {
    expect(fileNameProblem(name)).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['x'.repeat(256), /at most 255/],
    ['../etc/passwd', /path separator/],
    ['dir\\\\file.txt', /path separator/],
    ['..', /directory/],
    ['invoice\u202Efdp.exe', /U\+202E/],
    ['name\u2066.pdf', /U\+2066/],
    ['name\u200F.pdf', /U\+200F/],
    ['CON', /device name/],
    ['con.txt', /device name/],
    ['Aux.tar.gz', /device name/],
    ['COM1.pdf', /device name/],
    ['lpt9', /device name/],
    ['report.', /dot or a space/],
    ['report ', /dot or a space/],
    ['a\u0000.pdf', /U\+0000/],
    ['a\tb.pdf', /U\+0009/],
  ])('refuses %j', (name, problem) => {
    expect(fileNameProblem(name)).toMatch(problem);
  });
});

describe('servedMediaType', () => {
  const zip = [
    { typename: 'zip', mime: 'application/zip', extension: 'zip' },
    {
      typename: 'docx',
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
    },
    { typename: 'apk', mime: 'application/vnd.android.package-archive', extension: 'apk' },
  ];

  it('takes the type the name names among those the bytes allow, else the first allowed', () => {
    expect(servedMediaType(zip, 'report.docx', false)).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(servedMediaType(zip, 'bundle.zip', false)).toBe('application/zip');
    expect(servedMediaType(zip, 'report.pdf', false)).toBe('application/zip');
    expect(servedMediaType(zip, 'app.apk', false)).toBe('application/zip');
  });

  it('serves what is not on the list, or has no signature and is not text, as octet-stream', () => {
    expect(servedMediaType([{ typename: 'SVG', mime: 'image/svg+xml' }], 'logo.svg', true)).toBe(UNKNOWN_MEDIA_TYPE);
    expect(servedMediaType([{ typename: 'exe', mime: 'application/x-msdownload' }], 'photo.jpg', false)).toBe(
      UNKNOWN_MEDIA_TYPE,
    );
    expect(servedMediaType([], 'notes.txt', true)).toBe('text/plain');
    expect(servedMediaType([], 'photo.jpg', false)).toBe(UNKNOWN_MEDIA_TYPE);
  });

  it('serves stored types off the list as octet-stream', () => {
    expect(servedStoredType('application/pdf')).toBe('application/pdf');
    expect(servedStoredType('text/html')).toBe(UNKNOWN_MEDIA_TYPE);
    expect(servedStoredType('garbage')).toBe(UNKNOWN_MEDIA_TYPE);
  });
});

describe('readsAsText', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('reads UTF-8 text with line breaks and tabs as text', () => {
    expect(readsAsText(bytes('Name,Phone\r\nIon Popescu,\t+40 721\n'), true)).toBe(true);
  });

  it('forgives a character cut by the end of the sample, not one cut inside it', () => {
    const text = bytes('Ștefan Ș');
    expect(readsAsText(text.subarray(0, text.length - 1), false)).toBe(true);
    expect(readsAsText(text.subarray(0, text.length - 1), true)).toBe(false);
  });

  it('does not read binary or control characters as text', () => {
    expect(readsAsText(new Uint8Array([0xff, 0xfe, 0x00, 0x41]), true)).toBe(false);
    expect(readsAsText(bytes('a\u0000b'), true)).toBe(false);
    expect(readsAsText(new Uint8Array([]), true)).toBe(false);
  });
});
