import { toCsv } from '@liaison/domain';
import type { FastifyReply } from 'fastify';
import { ApiProblem, ProblemCode } from '../http/problem';
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
    const format = offered.find((f) => REPORT_MEDIA_TYPES[f] === range.type || (range.type === 'text/*' && f === 'csv') || (range.type === 'image/*' && f === 'svg'));
    if (format) return format;
  }
  throw new ApiProblem(ProblemCode.NotAcceptable, `this report is given as ${offered.map((f) => REPORT_MEDIA_TYPES[f]).join(', ')}`);
}

/** A report in each form it is given in. */
export interface ReportForms<T> {
  /** File name without extension, for a download. */
  name: string;
  json: () => T;
  /** The rows as a table, for CSV. */
  table: () => { header: string[]; rows: (string | number | null)[][] };
  /** The main reports' chart, for SVG. */
  chart?: () => BarChart;
}

/**
 * Sends a report in the negotiated form: the JSON view, the table as RFC 4180 CSV, or the chart as SVG. Only the
 * form sent is built. Returns what the controller returns (Nest serialises JSON itself; text forms are sent as
 * they are).
 */
export function sendReport<T>(reply: FastifyReply, accept: string | undefined, report: ReportForms<T>): T | string {
  const format = negotiateFormat(accept, report.chart ? ['json', 'csv', 'svg'] : ['json', 'csv']);
  void reply.header('Vary', 'Accept');
  if (format === 'json') return report.json();
  if (format === 'csv') {
    const { header, rows } = report.table();
    void reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${report.name}.csv"`);
    return toCsv([header, ...rows]);
  }
  void reply.type('image/svg+xml').header('Content-Disposition', `inline; filename="${report.name}.svg"`);
  return barChartSvg(report.chart!());
}
