import { ApiClient, waitFor } from '@liaison/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bold } from './steps';

/** The volumes report's rows, as the demo prints them. */
type Volumes = {
  rows: {
    period: string;
    direction: string;
    partnerCountry: string;
    messages: number | string;
    change: number | null;
    source: string;
  }[];
};

/**
 * The programme lead's view: figures from before the system (imported once; importing the same file again
 * changes nothing), then the UK's volumes from 2015 to this year by direction and partner, printed and saved as
 * a chart for a briefing slide.
 */
export async function programmeLeadReport(lead: ApiClient, today: string): Promise<void> {
  const historical = [
    'period,direction,partner,crime_area,message_type,count',
    '2015,outbound,EU,unspecified,request,145',
    '2016,outbound,EU,unspecified,request,201',
    '2017,outbound,EU,unspecified,request,298',
    '',
  ].join('\n');
  const imported = await lead.request<{ counts: number }>('POST', '/v1/reports/imports', {
    raw: historical,
    headers: { 'content-type': 'text/csv' },
  });
  console.log(
    `\n${bold('Programme lead')}: historical counts imported (${imported.status === 201 ? 'new' : 'already imported'}, ${imported.body.counts} lines)`,
  );
  const year = today.slice(0, 4);
  const query = `/v1/reports/volumes?from=2015&to=${year}&by=direction,partner-country`;
  // The tracker counts moments after routing: wait for this year's messages to the EU agencies and Romania.
  const volumes = await waitFor(
    async () => {
      const report = (await lead.get<Volumes>(query)).body;
      return report.rows.some((r) => r.period === year && r.partnerCountry === 'RO') ? report : undefined;
    },
    { what: 'the tracker to count the exchange' },
  );
  console.log(`${bold('Volumes report')} GET ${query}`);
  console.log('  period  direction  partner  messages  change   source');
  for (const row of volumes.rows) {
    const change = row.change === null ? '' : `${row.change >= 0 ? '+' : ''}${Math.round(row.change * 100)}%`;
    console.log(
      `  ${row.period.padEnd(6)}  ${row.direction.padEnd(9)}  ${row.partnerCountry.padEnd(7)}  ${String(row.messages).padStart(8)}  ${change.padEnd(7)}  ${row.source}`,
    );
  }
  const svg = await lead.get<string>(query, { accept: 'image/svg+xml' });
  const file = resolve('demo-output', `liaison-volumes-2015-${year}.svg`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, svg.body);
  console.log(`${bold('Chart saved')}: ${file} (the same report as CSV: Accept: text/csv)`);
}
