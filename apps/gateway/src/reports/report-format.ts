import { csvPieces, type CsvSeparator } from '@liaison/common';
import { ApplicationError } from '../application/application-error';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { barChartSvg, type BarChart } from './svg-chart';

/** The forms a report is given in. */
export const REPORT_MEDIA_TYPES = { json: 'application/json', csv: 'text/csv', svg: 'image/svg+xml' } as const;
export type ReportFormat = keyof typeof REPORT_MEDIA_TYPES;

/**
 * The form the Accept header prefers among those a report offers: the highest q-value wins, ties go to the
 * order in the header; no header or any wildcard gives JSON. Nothing acceptable is a 406 naming what is offered.
 */
export function negotiateFormat(accept: string | undefined, offered: readonly ReportFormat[]): ReportFormat {
  if (!accept || accept.trim() === '') return 'json';
  const ranges = accept
    .split(',')
    .map((part, order) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, order };
    })
    .filter((range) => range.q > 0 && !Number.isNaN(range.q))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const range of ranges) {
    if (range.type === '*/*' || range.type === 'application/*') return 'json';
    const format = offered.find(
      (f) =>
        REPORT_MEDIA_TYPES[f] === range.type ||
        (range.type === 'text/*' && f === 'csv') ||
        (range.type === 'image/*' && f === 'svg'),
    );
    if (format) return format;
  }
  throw new ApiProblem(
    ErrorCode.NotAcceptable,
    `this report is given as ${offered.map((f) => REPORT_MEDIA_TYPES[f]).join(', ')}`,
  );
}

/** A view as a report builds it: its lists may be given as iterables, made as they are written out. */
export type Streamed<T> = { [K in keyof T]: T[K] extends readonly (infer E)[] ? Iterable<E> : T[K] };

/** A report in each form it is given in. */
export interface ReportForms<T> {
  /** File name without extension, for a download. */
  name: string;
  json: () => Streamed<T>;
  /** The rows as a table, for CSV. */
  table: () => { header: string[]; rows: Iterable<(string | number | null)[]> };
  /** The main reports' chart, for SVG. */
  chart?: () => BarChart;
}

/**
 * The text of `JSON.stringify(view)` in pieces, a list (an array or any other iterable) of more than `size`
 * items `size` items at a time. A report of tens of thousands of rows is then sent as its rows are made, and
 * neither the rows nor a string of all of them are held at once (on a busy gateway, megabyte strings and the
 * buffers made from them cost more than the rows).
 */
export function* jsonPieces(view: object, size = 256): Generator<string> {
  let piece = '{';
  for (const [key, value] of Object.entries(view) as [string, unknown][]) {
    if (value === undefined) continue;
    piece += `${piece === '{' ? '' : ','}${JSON.stringify(key)}:`;
    if (!isList(value) || (Array.isArray(value) && value.length <= size)) {
      piece += JSON.stringify(value);
      continue;
    }
    let batch: unknown[] = [];
    let written = 0;
    const write = () => `${written++ === 0 ? '' : ','}${JSON.stringify(batch).slice(1, -1)}`;
    yield `${piece}[`;
    for (const item of value) {
      if (batch.push(item) < size) continue;
      yield write();
      batch = [];
    }
    piece = batch.length > 0 ? `${write()}]` : ']';
  }
  yield `${piece}}`;
}

const isList = (value: unknown): value is Iterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.iterator in value;

/** How a CSV report's fields may be separated (`separator`). */
export const CSV_SEPARATORS = ['comma', 'semicolon'] as const;

/** The separator asked for: commas unless `semicolon`; anything else is a 400 naming `separator`. */
function separatorOf(asked: unknown): CsvSeparator {
  if (asked === undefined || asked === 'comma') return ',';
  if (asked === 'semicolon') return ';';
  throw ApplicationError.field('separator', `must be one of ${CSV_SEPARATORS.join(', ')}`);
}

/**
 * Sends a report in the negotiated form: the JSON view, the table as CSV (RFC 4180, with a byte-order mark, by
 * commas or the semicolons `separator` asks for), or the chart as SVG. Only the form sent is built. JSON and CSV
 * are streamed in pieces (see `jsonPieces`); the chart is one string.
 */
export function sendReport<T extends object>(
  reply: FastifyReply,
  asked: { accept: string | undefined; separator?: unknown },
  report: ReportForms<T>,
): Readable | string {
  const separator = separatorOf(asked.separator);
  const format = negotiateFormat(asked.accept, report.chart ? ['json', 'csv', 'svg'] : ['json', 'csv']);
  void reply.header('Vary', 'Accept');
  if (format === 'json') {
    void reply.type('application/json; charset=utf-8');
    return Readable.from(jsonPieces(report.json()), { objectMode: false });
  }
  if (format === 'csv') {
    const { header, rows } = report.table();
    void reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${report.name}.csv"`);
    return Readable.from(csvPieces(withHeader(header, rows), { separator }), { objectMode: false });
  }
  void reply.type('image/svg+xml').header('Content-Disposition', `inline; filename="${report.name}.svg"`);
  return barChartSvg(report.chart!());
}

function* withHeader<R>(header: R, rows: Iterable<R>): Generator<R> {
  yield header;
  yield* rows;
}
