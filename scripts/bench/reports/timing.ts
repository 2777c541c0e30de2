import { ApiClient } from '@liaison/testing';

import { SAMPLES } from './settings';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** The report shapes timed: each report in the breakdowns a programme lead uses, for one year and for five. */
export function reportQueries(span: '1 year' | '5 years'): [report: string, path: string][] {
  const range = span === '1 year' ? 'from=2025' : 'from=2021&to=2025';
  const quarters = span === '1 year' ? 'from=2025&granularity=quarter' : 'from=2021&to=2025&granularity=quarter';
  const months = span === '1 year' ? 'from=2025&granularity=month' : 'from=2021&to=2025&granularity=month';
  const days = span === '1 year' ? 'from=2025-01-01&to=2025-12-31' : 'from=2021-01-01&to=2025-12-31';
  return [
    ['volumes', `/v1/reports/volumes?${days}&by=direction`],
    ['volumes', `/v1/reports/volumes?${range}&by=direction,partner-country`],
    ['volumes', `/v1/reports/volumes?${months}&by=direction`],
    ['volumes', `/v1/reports/volumes?${range}&by=agency`],
    ['volumes', `/v1/reports/volumes?${quarters}&by=region,direction`],
    ['volumes', `/v1/reports/volumes?${range}&by=agency,partner-country&direction=outbound`],
    ['volumes', `/v1/reports/volumes?${range}&by=agency,message-type,crime-area`],
    ['volumes', `/v1/reports/volumes?${months}&by=crime-area,message-type,direction`],
    ['volumes', `/v1/reports/volumes?${range}&by=partner-country&message-type=request&partner-country=EU,RO`],
    ['response-times', `/v1/reports/response-times?${months}`],
    ['response-times', `/v1/reports/response-times?${range}&by=partner-country,priority`],
    ['response-times', `/v1/reports/response-times?${quarters}&by=priority`],
    ['response-times', `/v1/reports/response-times?${months}&by=priority&partner-country=EU,RO,PL`],
    ['deadlines', '/v1/reports/deadlines'],
    ['deadlines', '/v1/reports/deadlines?by=partner-country,priority'],
    ['matches', `/v1/reports/matches?${months}&by=partner-country`],
    ['matches', `/v1/reports/matches?${range}&by=partner-country,entity-type,strength`],
    ['jits', `/v1/reports/jits?${range}`],
  ];
}

/**
 * Times every report shape through the gateway at BENCH_REPORTS_URL, as the leads whose keys BENCH_REPORTS_KEYS
 * lists (a national and a European one, asking alternately), and prints p50, p99 and each shape's slowest answer.
 */
export async function timeReports(): Promise<void> {
  const api = new ApiClient(process.env.BENCH_REPORTS_URL!);
  const leads = process.env.BENCH_REPORTS_KEYS!.split(',').map((key) => api.as(key));
  console.log(
    `\n[bench] reports over ${Number(process.env.BENCH_REPORTS_TOTAL).toLocaleString('en')} messages, ${SAMPLES} samples per report and span (national and European lead alternately):`,
  );
  console.log('[bench]   report           span      shapes   p50 ms   p99 ms   max ms   rows (largest)');
  const p99s = new Map<string, number>();
  for (const span of ['1 year', '5 years'] as const) {
    const queries = reportQueries(span);
    for (const report of [...new Set(queries.map(([r]) => r))]) {
      const shapes = queries.filter(([r]) => r === report).map(([, path]) => path);
      const latencies: number[] = [];
      const byShape = new Map<string, number[]>();
      let largest = 0;
      for (let i = 0; i < SAMPLES + shapes.length * 2; i++) {
        const path = shapes[i % shapes.length];
        const lead = leads[Math.floor(i / shapes.length) % 2];
        const accept = i % 5 === 4 ? 'text/csv' : 'application/json';
        // Timed from sending the request to receiving the last byte of the answer; read as JSON afterwards.
        const began = performance.now();
        const answer = await fetch(`${lead.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${lead.key}`, accept },
        });
        const text = await answer.text();
        const elapsed = performance.now() - began;
        if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${text.slice(0, 300)}`);
        const response = {
          body: accept === 'application/json' ? (JSON.parse(text) as { rows?: unknown[]; years?: unknown[] }) : {},
        };
        // The first round of each shape warms the caches and is not counted.
        if (i >= shapes.length * 2) {
          latencies.push(elapsed);
          byShape.set(path, [...(byShape.get(path) ?? []), elapsed]);
        }
        if (accept === 'application/json')
          largest = Math.max(largest, (response.body.rows ?? response.body.years ?? []).length);
      }
      latencies.sort((a, b) => a - b);
      const p99 = percentile(latencies, 0.99);
      p99s.set(`${report} ${span}`, p99);
      console.log(
        `[bench]   ${report.padEnd(16)} ${span.padEnd(9)} ${String(shapes.length).padStart(6)} ${percentile(latencies, 0.5).toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)} ${latencies[latencies.length - 1].toFixed(1).padStart(8)}   ${largest}`,
      );
      // Each shape's slowest answer, to show where the time goes.
      for (const [path, times] of byShape)
        console.log(
          `[bench]       ${Math.max(...times)
            .toFixed(1)
            .padStart(8)} ms  ${path}`,
        );
    }
  }
  const worst = Math.max(...p99s.values());
  const growth = Math.max(
    ...[...p99s]
      .filter(([k]) => k.endsWith('5 years'))
      .map(([k, v]) => v / (p99s.get(k.replace('5 years', '1 year')) ?? v)),
  );
  console.log(
    `\n[bench] slowest report p99: ${worst.toFixed(1)} ms (target < 100 ms: ${(worst / 100).toFixed(2)}x of the limit); largest p99 growth from one year to five: ${growth.toFixed(2)}x`,
  );
}
