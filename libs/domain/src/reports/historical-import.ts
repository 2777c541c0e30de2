import { CRIME_AREAS, type CrimeArea } from '../cases/case-rules';
import { CsvEncodingError, CsvSyntaxError, parseCsv } from '@liaison/common';
import { MESSAGE_TYPES, type MessageType } from '../messages/message-codes';
import { parsePeriod, type ReportPeriod } from './report-period';

/** The columns of a file of historical counts, in this order, named on its first line. */
export const HISTORICAL_COLUMNS = ['period', 'direction', 'partner', 'crime_area', 'message_type', 'count'] as const;

export const DIRECTIONS = ['outbound', 'inbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Counts given for no particular crime area (older figures were often kept for trafficking as a whole). */
export const UNSPECIFIED_CRIME_AREA = 'unspecified';

/** A count a programme lead brings from before the system existed: messages of one kind with one partner in one period. */
export interface HistoricalCount {
  /** The line of the file it came from. */
  line: number;
  period: ReportPeriod;
  /** Seen from the importing agency's country: sent from it, or received by it. */
  direction: Direction;
  /** The partner's country code, as the agency register has it (`RO`; `EU` for Europol and Eurojust). */
  partnerCountry: string;
  crimeArea: CrimeArea | typeof UNSPECIFIED_CRIME_AREA;
  messageType: MessageType;
  count: number;
}

export type HistoricalImport = { ok: true; counts: HistoricalCount[] } | { ok: false; line: number; reason: string };

export interface HistoricalImportRules {
  /** Country codes of the agency register. */
  partnerCountries: ReadonlySet<string>;
  /** Today (UTC, `YYYY-MM-DD`): a period must have ended before it. */
  today: string;
  /** The most lines a file may have. */
  maxRows: number;
}

/** The largest count a line may give. */
const MAX_COUNT = 10_000_000;

/**
 * Reads a CSV file of historical counts (as bytes, or text), separated by commas, semicolons or tabs, as
 * spreadsheets save it (see `parseCsv`). Every line is checked; the first bad one rejects the whole file,
 * named by its line number and what is wrong with it, so nothing of a bad file is imported. Two lines for the
 * same period, direction, partner, crime area and message type are refused too: the file would say two things.
 */
export function readHistoricalCounts(file: Buffer | string, rules: HistoricalImportRules): HistoricalImport {
  let records;
  try {
    records = parseCsv(file);
  } catch (error) {
    if (error instanceof CsvEncodingError) return { ok: false, line: 1, reason: error.message };
    if (error instanceof CsvSyntaxError)
      return { ok: false, line: error.line, reason: error.message.replace(/^line \d+: /, '') };
    throw error;
  }
  const [header, ...rows] = records;
  const expected = HISTORICAL_COLUMNS.join(',');
  if (!header || header.fields.map((f) => f.trim().toLowerCase()).join(',') !== expected) {
    return { ok: false, line: header?.line ?? 1, reason: `the first line must name the columns ${expected}` };
  }
  if (rows.length === 0) return { ok: false, line: header.line + 1, reason: 'the file has no counts' };
  if (rows.length > rules.maxRows)
    return {
      ok: false,
      line: rows[rules.maxRows].line,
      reason: `a file may have at most ${rules.maxRows} lines of counts`,
    };

  const counts: HistoricalCount[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of rows) {
    const result = readLine(fields, rules);
    if (typeof result === 'string') return { ok: false, line, reason: result };
    const key = [
      result.period.label,
      result.direction,
      result.partnerCountry,
      result.crimeArea,
      result.messageType,
    ].join('|');
    const earlier = seen.get(key);
    if (earlier !== undefined)
      return {
        ok: false,
        line,
        reason: `repeats the period, direction, partner, crime area and message type of line ${earlier}`,
      };
    seen.set(key, line);
    counts.push({ line, ...result });
  }
  return { ok: true, counts };
}

function readLine(fields: string[], rules: HistoricalImportRules): Omit<HistoricalCount, 'line'> | string {
  if (fields.length !== HISTORICAL_COLUMNS.length)
    return `has ${fields.length} fields, not ${HISTORICAL_COLUMNS.length}`;
  const [periodText, directionText, partnerText, areaText, typeText, countText] = fields.map((f) => f.trim());
  const period = parsePeriod(periodText);
  if (!period)
    return `period "${periodText}" is not a year (2017), quarter (2017-Q3), month (2017-07) or day (2017-07-14)`;
  if (period.to >= rules.today) return `period ${period.label} has not ended yet`;
  const direction = directionText.toLowerCase();
  if (!(DIRECTIONS as readonly string[]).includes(direction))
    return `direction "${directionText}" must be outbound or inbound`;
  const partnerCountry = partnerText.toUpperCase();
  if (!rules.partnerCountries.has(partnerCountry))
    return `partner "${partnerText}" is not a country of the agency register`;
  const crimeArea = areaText.toLowerCase();
  if (crimeArea !== UNSPECIFIED_CRIME_AREA && !(CRIME_AREAS as readonly string[]).includes(crimeArea)) {
    return `crime_area "${areaText}" must be one of ${[...CRIME_AREAS, UNSPECIFIED_CRIME_AREA].join(', ')}`;
  }
  const messageType = typeText.toLowerCase();
  if (!(MESSAGE_TYPES as readonly string[]).includes(messageType))
    return `message_type "${typeText}" must be one of ${MESSAGE_TYPES.join(', ')}`;
  if (!/^\d+$/.test(countText) || Number(countText) > MAX_COUNT)
    return `count "${countText}" must be a whole number from 0 to ${MAX_COUNT}`;
  return {
    period,
    direction: direction as Direction,
    partnerCountry,
    crimeArea: crimeArea as CrimeArea | typeof UNSPECIFIED_CRIME_AREA,
    messageType: messageType as MessageType,
    count: Number(countText),
  };
}
