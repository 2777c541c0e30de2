import { readHistoricalCounts, type HistoricalImportRules } from './historical-import';

const rules: HistoricalImportRules = {
  partnerCountries: new Set(['GB', 'RO', 'EU', 'BG']),
  today: '2026-11-23',
  maxRows: 5,
};
const HEADER = 'period,direction,partner,crime_area,message_type,count\n';

describe('readHistoricalCounts', () => {
  it('reads the counts a programme lead kept before the system existed', () => {
    const result = readHistoricalCounts(
      `${HEADER}2015,outbound,EU,unspecified,request,145\r\n2017,Outbound,eu,Unspecified,Request,298\n2016-Q3,inbound,RO,labour-exploitation,reply,12\n`,
      rules,
    );
    expect(result).toEqual({
      ok: true,
      counts: [
        {
          line: 2,
          period: { granularity: 'year', label: '2015', from: '2015-01-01', to: '2015-12-31' },
          direction: 'outbound',
          partnerCountry: 'EU',
          crimeArea: 'unspecified',
          messageType: 'request',
          count: 145,
        },
        {
          line: 3,
          period: expect.objectContaining({ label: '2017' }),
          direction: 'outbound',
          partnerCountry: 'EU',
          crimeArea: 'unspecified',
          messageType: 'request',
          count: 298,
        },
        {
          line: 4,
          period: expect.objectContaining({ label: '2016-Q3' }),
          direction: 'inbound',
          partnerCountry: 'RO',
          crimeArea: 'labour-exploitation',
          messageType: 'reply',
          count: 12,
        },
      ],
    });
  });

  it('rejects the whole file at its first bad line, saying what is wrong', () => {
    const bad = (line: string) =>
      readHistoricalCounts(`${HEADER}2015,outbound,EU,unspecified,request,145\n${line}\n`, rules);
    expect(bad('2015-13,outbound,EU,unspecified,request,1')).toEqual({
      ok: false,
      line: 3,
      reason: expect.stringContaining('period "2015-13" is not a year'),
    });
    expect(bad('2026,outbound,EU,unspecified,request,1')).toEqual({
      ok: false,
      line: 3,
      reason: 'period 2026 has not ended yet',
    });
    expect(bad('2016,sideways,EU,unspecified,request,1')).toEqual({
      ok: false,
      line: 3,
      reason: 'direction "sideways" must be outbound or inbound',
    });
    expect(bad('2016,outbound,XX,unspecified,request,1')).toEqual({
      ok: false,
      line: 3,
      reason: 'partner "XX" is not a country of the agency register',
    });
    expect(bad('2016,outbound,RO,fraud,request,1')).toEqual({
      ok: false,
      line: 3,
      reason: expect.stringContaining('crime_area "fraud" must be one of'),
    });
    expect(bad('2016,outbound,RO,unspecified,memo,1')).toEqual({
      ok: false,
      line: 3,
      reason: expect.stringContaining('message_type "memo" must be one of'),
    });
    for (const count of ['-1', '1.5', 'many', '', '10000001'])
      expect(bad(`2016,outbound,RO,unspecified,request,${count}`)).toMatchObject({
        ok: false,
        line: 3,
        reason: expect.stringContaining('count'),
      });
    expect(bad('2016,outbound,RO,unspecified,request')).toEqual({ ok: false, line: 3, reason: 'has 5 fields, not 6' });
    expect(bad('2015,outbound,eu,unspecified,request,150')).toEqual({
      ok: false,
      line: 3,
      reason: 'repeats the period, direction, partner, crime area and message type of line 2',
    });
    expect(bad('"2016,outbound')).toEqual({ ok: false, line: 3, reason: 'a quoted field is not closed' });
  });

  it('needs its header, at least one count and no more lines than allowed', () => {
    expect(readHistoricalCounts('2015,outbound,EU,unspecified,request,145\n', rules)).toMatchObject({
      ok: false,
      line: 1,
      reason: expect.stringContaining('the first line must name the columns'),
    });
    expect(readHistoricalCounts(HEADER, rules)).toEqual({ ok: false, line: 2, reason: 'the file has no counts' });
    expect(readHistoricalCounts('', rules)).toMatchObject({ ok: false, line: 1 });
    const many = Array.from({ length: 6 }, (_, i) => `${2010 + i},outbound,EU,unspecified,request,${i}`).join('\n');
    expect(readHistoricalCounts(`${HEADER}${many}\n`, rules)).toEqual({
      ok: false,
      line: 7,
      reason: 'a file may have at most 5 lines of counts',
    });
  });
});
