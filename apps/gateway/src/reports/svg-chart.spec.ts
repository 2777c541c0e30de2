import { barChartSvg, niceTicks, type BarChart } from './svg-chart';

/** Every element closed in order, every attribute quoted, no bare `<` or `&` in text: the document is well formed. */
function assertWellFormed(svg: string): void {
  const open: string[] = [];
  const tokens = svg.split(/(<[^>]*>)/).filter((t) => t !== '');
  for (const token of tokens) {
    if (!token.startsWith('<')) {
      expect(token).not.toMatch(/<|&(?!amp;|lt;|gt;|quot;)/);
      continue;
    }
    expect(token).toMatch(/^<\/?[a-zA-Z][\w:-]*(\s+[\w:-]+="[^"<]*")*\s*\/?>$/);
    const name = /^<\/?([\w:-]+)/.exec(token)![1];
    if (token.startsWith('</')) expect(open.pop()).toBe(name);
    else if (!token.endsWith('/>')) open.push(name);
  }
  expect(open).toEqual([]);
}

const chart: BarChart = {
  title: 'UK queries to Europol on trafficking',
  subtitle: 'Outbound from GB to EU, requests, 2015-2017 (2015 and 2016 imported)',
  xLabel: 'Year',
  yLabel: 'Messages',
  periods: ['2015', '2016', '2017'],
  series: [
    { name: 'Requests', values: [145, 210, 298] },
    { name: 'Replies', values: [120, null, 260] },
  ],
  note: 'Counts below 5 in finer breakdowns are shown as <5.',
};

describe('barChartSvg', () => {
  it('draws a well-formed slide with its title, subtitle, axis labels, legend and note', () => {
    const svg = barChartSvg(chart);
    assertWellFormed(svg);
    expect(svg).toContain('width="960" height="540"');
    for (const text of [
      'UK queries to Europol on trafficking',
      'Outbound from GB to EU',
      '>Year<',
      '>Messages<',
      '>Requests<',
      '>Replies<',
      'shown as &lt;5.',
    ])
      expect(svg).toContain(text);
    for (const period of chart.periods) expect(svg).toContain(`>${period}</text>`);
  });

  it('draws one bar per known count, in proportion, and none where the count is hidden', () => {
    const svg = barChartSvg(chart);
    const bars = [...svg.matchAll(/<rect class="bar" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].map(
      (m) => Number(m[2]),
    );
    expect(bars).toHaveLength(5);
    // The axis tops out at 300 on a 336-pixel plot: 298 is 333.8 pixels high, 145 is 162.4.
    expect(bars[0]).toBeCloseTo((145 / 300) * 336, 0);
    expect(Math.max(...bars)).toBeCloseTo((298 / 300) * 336, 0);
    expect(svg).toContain('<title>Replies, 2017: 260</title>');
    expect(svg).not.toContain('Replies, 2016');
  });

  it('escapes what it is given', () => {
    const svg = barChartSvg({
      ...chart,
      title: 'A <script> & "quotes"',
      series: [{ name: '</text><script>', values: [1, 2, 3] }],
    });
    assertWellFormed(svg);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('A &lt;script&gt; &amp; &quot;quotes&quot;');
  });

  it('refuses no series or more than eight', () => {
    expect(() => barChartSvg({ ...chart, series: [] })).toThrow(RangeError);
    expect(() =>
      barChartSvg({ ...chart, series: Array.from({ length: 9 }, (_, i) => ({ name: `s${i}`, values: [1, 2, 3] })) }),
    ).toThrow(RangeError);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten up to the maximum', () => {
    expect(niceTicks(298)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(145)).toEqual([0, 50, 100, 150]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(1_000_000)).toEqual([0, 200_000, 400_000, 600_000, 800_000, 1_000_000]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
