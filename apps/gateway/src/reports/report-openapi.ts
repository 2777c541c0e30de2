import type { Granularity } from '@liaison/domain';
import { applyDecorators } from '@nestjs/common';
import { ApiProduces, ApiQuery } from '@nestjs/swagger';
import { CSV_SEPARATORS } from './report-format';

/** OpenAPI for a report's query parameters and media types. */
export function ReportQueries(dimensions: readonly string[], granularities: readonly Granularity[], charted: boolean) {
  const periods = granularities.length > 0;
  return applyDecorators(
    ...(periods
      ? [
          ApiQuery({
            name: 'from',
            required: true,
            description: 'First period: a year (2017), quarter (2017-Q3), month (2017-07) or day (2017-07-14)',
            example: '2017',
          }),
          ApiQuery({ name: 'to', required: false, description: 'Last period (default: from)', example: '2017' }),
          ApiQuery({
            name: 'granularity',
            required: false,
            enum: granularities,
            description: "Period length of the rows (default: from's)",
          }),
        ]
      : []),
    ...(dimensions.length > 1
      ? [
          ApiQuery({
            name: 'by',
            required: false,
            description: `Comma-separated dimensions to break counts down by: ${dimensions.join(', ')}`,
          }),
        ]
      : []),
    ...dimensions.map((d) =>
      ApiQuery({ name: d, required: false, description: `Only counts with these ${d} values (comma-separated)` }),
    ),
    ApiQuery({
      name: 'separator',
      required: false,
      enum: CSV_SEPARATORS,
      description: 'For text/csv: comma (default) or semicolon, as spreadsheets set to a decimal comma expect',
    }),
    ApiProduces('application/json', 'text/csv', ...(charted ? ['image/svg+xml'] : [])),
  );
}
