import { CsvEncodingError, csvPieces, csvSeparatorOf, CsvSyntaxError, parseCsv, toCsv } from './csv';

describe('toCsv', () => {
  it('separates by semicolons when asked, quoting fields that hold one', () => {
    expect(toCsv([['Iași; Vaslui', 1.5, 'x']], ';')).toBe('"Iași; Vaslui";1.5;x\r\n');
  });

  it('quotes only the fields that need it, doubles quotes, ends every record with CRLF', () => {
    expect(
      toCsv([
        ['period', 'partner', 'messages'],
        ['2017', 'Romania, Bucharest', 298],
        ['2015', 'the "EU"', null],
      ]),
    ).toBe('period,partner,messages\r\n2017,"Romania, Bucharest",298\r\n2015,"the ""EU""",\r\n');
  });

  it('keeps text that a spreadsheet would run as a formula as text', () => {
    expect(toCsv([['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', -3]])).toBe(
      `"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1),-3\r\n`,
    );
  });

  it('reads back what it writes', () => {
    const rows = [
      ['a,b', 'line\nbreak', 'quote"d', ''],
      ['x', 'y', 'z', 'w'],
    ];
    expect(parseCsv(toCsv(rows)).map((r) => r.fields)).toEqual(rows);
  });

  it('writes the same text in pieces of whole records, from any iterable', () => {
    const rows = Array.from({ length: 600 }, (_, i) => [`2017-${i}`, i % 7 === 0 ? 'a, "b"' : '=x', i]);
    const pieces = [...csvPieces(rows.values(), { size: 256 })];
    expect(pieces).toHaveLength(3);
    expect(pieces.join('')).toBe(`\uFEFF${toCsv(rows)}`);
    expect(pieces.map((piece) => parseCsv(piece).length)).toEqual([256, 256, 88]);
    expect([...csvPieces([])]).toEqual(['\uFEFF']);
  });
});

describe('parseCsv', () => {
  it('reads LF and CRLF files, a byte-order mark, skips blank lines and numbers records by their first line', () => {
    expect(parseCsv('\uFEFFperiod,count\r\n2015,145\n\n"2016\nQ1",3\n2017,298')).toEqual([
      { line: 1, fields: ['period', 'count'] },
      { line: 2, fields: ['2015', '145'] },
      { line: 4, fields: ['2016\nQ1', '3'] },
      { line: 6, fields: ['2017', '298'] },
    ]);
  });

  it('keeps empty fields', () => {
    expect(parseCsv('a,,c\n,,\n').map((r) => r.fields)).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('names the line of a malformed record', () => {
    expect(() => parseCsv('a,b\n"open,c\n')).toThrow(new CsvSyntaxError(2, 'a quoted field is not closed'));
    expect(() => parseCsv('a,b\nx"y,c\n')).toThrow(new CsvSyntaxError(2, 'a quote inside an unquoted field'));
    expect(() => parseCsv('a,b\n\n"x"y,c\n')).toThrow(new CsvSyntaxError(3, 'text follows a closing quote'));
  });
});

describe('CSV as European spreadsheets save it', () => {
  it('reads a semicolon file with a byte-order mark and CRLF, as a spreadsheet with a decimal comma saves it', () => {
    const saved = Buffer.from('\uFEFFperiod;direction;count\r\n2015;outbound;"1,5"\r\n2016;inbound;3\r\n', 'utf8');
    expect(parseCsv(saved).map((r) => r.fields)).toEqual([
      ['period', 'direction', 'count'],
      ['2015', 'outbound', '1,5'],
      ['2016', 'inbound', '3'],
    ]);
  });

  it('decides the separator by the first line, outside quotes', () => {
    expect(csvSeparatorOf('a;b;c\n1,2;3;4')).toBe(';');
    expect(csvSeparatorOf('a\tb\tc\n')).toBe('\t');
    expect(csvSeparatorOf('"a;b",c\n')).toBe(',');
    expect(csvSeparatorOf('single\n')).toBe(',');
  });

  it('reads UTF-16 when its byte-order mark says so', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('oraș;count\r\nIași;3\r\n', 'utf16le')]);
    expect(parseCsv(utf16).map((r) => r.fields)).toEqual([
      ['oraș', 'count'],
      ['Iași', '3'],
    ]);
  });

  it('refuses text that is not UTF-8, naming what it seems to be', () => {
    // "Iaşi;Braşov;Timişoara" saved by a spreadsheet set to Central European (Windows-1250): ş is 0xBA.
    const legacy = Buffer.from('Ia\xbai;Bra\xbaov;Timi\xbaoara;Constan\xfea\r\n1;2;3;4\r\n', 'latin1');
    expect(() => parseCsv(legacy)).toThrow(CsvEncodingError);
    expect(() => parseCsv(legacy)).toThrow(/not UTF-8 \(it looks like [\w-]+\)/);
  });
});
