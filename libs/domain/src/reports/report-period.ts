/** How finely a report divides time. */
export const GRANULARITIES = ['day', 'month', 'quarter', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** A calendar period in UTC: its label (`2017`, `2017-Q3`, `2017-07`, `2017-07-14`) and its first and last days. */
export interface ReportPeriod {
  granularity: Granularity;
  label: string;
  from: string;
  to: string;
}

const PATTERNS: [Granularity, RegExp][] = [
  ['year', /^(\d{4})$/],
  ['quarter', /^(\d{4})-Q([1-4])$/],
  ['month', /^(\d{4})-(0[1-9]|1[0-2])$/],
  ['day', /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/],
];

function isoDay(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** The first year a report or an import of counts may name; its previous period (1899) is still computed. */
export const FIRST_REPORT_YEAR = 1900;

/** The period a label names, or null when it names none (`2017-13`, `2017-02-30`, `17`, `1899`). */
export function parsePeriod(label: string): ReportPeriod | null {
  const period = periodOf(label);
  return period && Number(period.from.slice(0, 4)) >= FIRST_REPORT_YEAR ? period : null;
}

function periodOf(label: string): ReportPeriod | null {
  for (const [granularity, pattern] of PATTERNS) {
    const match = pattern.exec(label);
    if (!match) continue;
    const year = Number(match[1]);
    switch (granularity) {
      case 'year':
        return { granularity, label, from: isoDay(year, 1, 1), to: isoDay(year, 12, 31) };
      case 'quarter': {
        const first = (Number(match[2]) - 1) * 3 + 1;
        return { granularity, label, from: isoDay(year, first, 1), to: isoDay(year, first + 3, 0) };
      }
      case 'month': {
        const month = Number(match[2]);
        return { granularity, label, from: isoDay(year, month, 1), to: isoDay(year, month + 1, 0) };
      }
      case 'day': {
        const day = isoDay(year, Number(match[2]), Number(match[3]));
        return day === label ? { granularity, label, from: day, to: day } : null;
      }
    }
  }
  return null;
}

/** The label of the period of a granularity that holds a day (`YYYY-MM-DD`). */
export function periodLabel(day: string, granularity: Granularity): string {
  switch (granularity) {
    case 'day':
      return day;
    case 'month':
      return day.slice(0, 7);
    case 'quarter':
      return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
    case 'year':
      return day.slice(0, 4);
  }
}

/** The period just before one, of the same granularity (what a report's change is measured against). */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  const dayBefore = new Date(Date.parse(period.from) - 86_400_000).toISOString().slice(0, 10);
  return periodOf(periodLabel(dayBefore, period.granularity))!;
}
