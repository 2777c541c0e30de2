import { csvPieces, CsvSyntaxError, parseCsv, toCsv } from './csv';

describe('toCsv', () => {
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
    const pieces = [...csvPieces(rows.values(), 256)];
    expect(pieces).toHaveLength(3);
    expect(pieces.join('')).toBe(toCsv(rows));
    expect(pieces.map((piece) => parseCsv(piece).length)).toEqual([256, 256, 88]);
    expect([...csvPieces([])]).toEqual([]);
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
