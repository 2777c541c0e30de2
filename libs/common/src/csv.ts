import { analyse } from 'chardet';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV in and out, through `csv-parse` and `csv-stringify`. What goes out opens in a European spreadsheet as it
 * is: a byte-order mark (so the text is read as UTF-8), RFC 4180 quoting, records ending with CRLF, commas or
 * semicolons as asked, and text a spreadsheet would run as a formula kept as text. What comes in is read as
 * spreadsheets save it: comma, semicolon or tab separated (decided by the first line), with or without a
 * byte-order mark, CRLF or LF, quoted fields holding separators, quotes and line breaks.
 */

/** How fields are separated: commas, or semicolons (as spreadsheets set to a decimal comma write them). */
export type CsvSeparator = ',' | ';';

/** What `csv-stringify` is told: quoting as RFC 4180 asks, CRLF, and formulas turned into text. */
function writeOptions(separator: CsvSeparator) {
  return {
    delimiter: separator,
    record_delimiter: 'windows' as const,
    // Any line break in a field is quoted, not only CRLF: a bare LF would end the record for many readers.
    quoted_match: /[\r\n]/,
    cast: { string: neutralise, number: String },
  };
}

/** A field a spreadsheet would run as a formula when the file is opened. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text that a spreadsheet would take for a formula, prefixed with an apostrophe so it shows the text and runs nothing. */
function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The byte-order mark that tells a spreadsheet the file is UTF-8. */
export const CSV_BOM = '\uFEFF';

/** Writes rows as CSV (without the byte-order mark; `csvPieces` gives a whole file). */
export function toCsv(rows: readonly (readonly (string | number | null)[])[], separator: CsvSeparator = ','): string {
  return rows.length === 0 ? '' : stringify(rows as unknown[][], writeOptions(separator));
}

/**
 * A whole CSV file, its byte-order mark first, as pieces of about `size` records each: a large export is written
 * as it is made, without one string holding all of it.
 */
export function* csvPieces(
  rows: Iterable<readonly (string | number | null)[]>,
  { separator = ',', size = 256 }: { separator?: CsvSeparator; size?: number } = {},
): Generator<string> {
  let batch: (readonly (string | number | null)[])[] = [];
  let first = true;
  const piece = () => {
    const text = toCsv(batch, separator);
    batch = [];
    if (!first) return text;
    first = false;
    return CSV_BOM + text;
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === size) yield piece();
  }
  if (batch.length > 0 || first) yield piece();
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** A file whose text is not UTF-8 (nor UTF-16 with its byte-order mark). */
export class CsvEncodingError extends Error {}

/** One record and the line of the file it starts on (from 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * The text of a file: UTF-8 (a byte-order mark dropped), or UTF-16 when its byte-order mark says so. Anything
 * else is refused naming the encoding it seems to be in (`chardet`), rather than read wrongly: between the
 * single-byte encodings of Europe, a short file of names cannot be told apart reliably.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const guess = analyse(bytes).find((match) => !/^UTF/i.test(match.name))?.name ?? 'an encoding other than UTF-8';
    throw new CsvEncodingError(
      `the file is not UTF-8 (it looks like ${guess}); save it as "CSV UTF-8" and send it again`,
    );
  }
}

/** The separator a file uses: whichever of comma, semicolon and tab its first line has most of, outside quotes. */
export function csvSeparatorOf(text: string): ',' | ';' | '\t' {
  const firstLine = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]
    .replace(/"[^"]*"/g, '');
  const counts = ([',', ';', '\t'] as const).map((s) => [s, firstLine.split(s).length - 1] as const);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best[1] > 0 ? best[0] : ',';
}

/** What our own words say for csv-parse's errors; others keep the library's. */
const SYNTAX_WORDS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
  CSV_INVALID_CLOSING_QUOTE: 'text follows a closing quote',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
};

/**
 * Reads a CSV file into records, each with the line it starts on; blank lines are skipped. Throws
 * CsvEncodingError for text that is not UTF-8, CsvSyntaxError naming the line of a malformed record.
 */
export function parseCsv(file: Buffer | string): CsvRecord[] {
  const text = typeof file === 'string' ? file.replace(/^\uFEFF/, '') : decodeText(file);
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      delimiter: csvSeparatorOf(text),
      bom: true,
      info: true,
      // A file edited on two systems may end its lines both ways.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = Number((error as CsvError & { lines?: number }).lines ?? 1);
      throw new CsvSyntaxError(line, SYNTAX_WORDS[error.code] ?? error.message.replace(/^[^:]*: /, ''));
    }
    throw error;
  }
  const records: CsvRecord[] = [];
  let ended = 0;
  for (const { record, info } of parsed) {
    const line = ended + 1;
    ended = info.lines;
    if (!(record.length === 1 && record[0] === '')) records.push({ line, fields: record });
  }
  return records;
}
