/**
 * CSV as RFC 4180 has it: fields separated by commas, records by CRLF (LF alone is read too), a field holding a
 * comma, a quote or a line break enclosed in quotes with its quotes doubled.
 */

/** A field a spreadsheet would run as a formula when the file is opened. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Writes rows as CSV. Text that a spreadsheet would take for a formula is prefixed with an apostrophe, so a
 * report opened in one shows the text and runs nothing; numbers are written as they are.
 */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map(csvRecord).join('');
}

/**
 * The same CSV as `toCsv`, as pieces of about `size` records each: a large export is written as it is made,
 * without one string holding all of it.
 */
export function* csvPieces(rows: Iterable<readonly (string | number | null)[]>, size = 256): Generator<string> {
  let piece = '';
  let records = 0;
  for (const row of rows) {
    piece += csvRecord(row);
    if ((records += 1) === size) {
      yield piece;
      piece = '';
      records = 0;
    }
  }
  if (piece !== '') yield piece;
}

function csvRecord(row: readonly (string | number | null)[]): string {
  return row.map(csvField).join(',') + '\r\n';
}

/** A formula's start or a character to quote: most fields (codes, periods) have neither, and one test passes them. */
const NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n]/;

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (!NEEDS_CARE.test(value)) return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** One record and the line of the file it starts on (from 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Reads CSV text into records; a blank line is skipped. Throws CsvSyntaxError naming the line of a malformed record. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < body.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (body[i] === '"') {
        i++;
        for (;;) {
          if (i >= body.length) throw new CsvSyntaxError(start, 'a quoted field is not closed');
          const c = body[i];
          if (c === '"') {
            if (body[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < body.length && body[i] !== ',' && body[i] !== '\r' && body[i] !== '\n')
          throw new CsvSyntaxError(line, 'text follows a closing quote');
      } else {
        while (i < body.length && body[i] !== ',' && body[i] !== '\r' && body[i] !== '\n') {
          if (body[i] === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
          field += body[i++];
        }
      }
      fields.push(field);
      if (body[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (body[i] === '\r') i++;
    if (body[i] === '\n') i++;
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
    line++;
  }
  return records;
}
