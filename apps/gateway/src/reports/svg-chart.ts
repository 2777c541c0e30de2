/** A bar chart of counts per period, one bar per series in each period, as a briefing slide shows it. */
export interface BarChart {
  title: string;
  /** A line under the title: the country, the filters, where the figures come from. */
  subtitle?: string;
  /** What the periods are (`Year`, `Quarter`). */
  xLabel: string;
  /** What is counted (`Messages`). */
  yLabel: string;
  periods: string[];
  /** At most eight series; a value is null where the count is hidden (or not known). */
  series: { name: string; values: (number | null)[] }[];
  /** A line at the foot of the chart (how small counts are shown, what was imported). */
  note?: string;
}

/** Okabe and Ito's eight colours, told apart by people with any common colour-vision deficiency. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'];
export const MAX_SERIES = PALETTE.length;

const WIDTH = 960;
const HEIGHT = 540;
const PLOT = { left: 96, right: 744, top: 104, bottom: 440 };
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Axis ticks at 1, 2 or 5 times a power of ten, from 0 to at least `max`, no more than six steps. */
export function niceTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

function format(n: number): string {
  return n.toLocaleString('en-GB');
}

/** Renders the chart as a standalone SVG document, 960 by 540, with its title, axes, labels and legend. */
export function barChartSvg(chart: BarChart): string {
  if (chart.series.length === 0 || chart.series.length > MAX_SERIES)
    throw new RangeError(`a chart has 1 to ${MAX_SERIES} series`);
  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.max(0, ...values));
  const top = ticks[ticks.length - 1];
  const plotWidth = PLOT.right - PLOT.left;
  const plotHeight = PLOT.bottom - PLOT.top;
  const y = (v: number) => PLOT.bottom - (v / top) * plotHeight;
  const group = plotWidth / Math.max(1, chart.periods.length);
  const bar = (group * 0.8) / chart.series.length;
  const showValues = chart.periods.length * chart.series.length <= 24;
  const labelEvery = Math.ceil(chart.periods.length / 16);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escape(chart.title)}">`,
    `<title>${escape(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="44" ${FONT} font-size="26" font-weight="bold" fill="#1a1a1a">${escape(chart.title)}</text>`,
  ];
  if (chart.subtitle)
    parts.push(`<text x="${PLOT.left}" y="74" ${FONT} font-size="16" fill="#4d4d4d">${escape(chart.subtitle)}</text>`);
  for (const tick of ticks) {
    parts.push(
      `<line x1="${PLOT.left}" y1="${y(tick).toFixed(1)}" x2="${PLOT.right}" y2="${y(tick).toFixed(1)}" stroke="${tick === 0 ? '#1a1a1a' : '#d9d9d9'}" stroke-width="1"/>`,
      `<text x="${PLOT.left - 10}" y="${(y(tick) + 5).toFixed(1)}" ${FONT} font-size="14" text-anchor="end" fill="#1a1a1a">${format(tick)}</text>`,
    );
  }
  chart.periods.forEach((period, i) => {
    const x0 = PLOT.left + i * group + group * 0.1;
    chart.series.forEach((series, s) => {
      const value = series.values[i];
      if (value === null || value === undefined) return;
      const x = x0 + s * bar;
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(bar * 0.92).toFixed(1)}" height="${(PLOT.bottom - y(value)).toFixed(1)}" fill="${PALETTE[s]}"><title>${escape(`${series.name}, ${period}: ${format(value)}`)}</title></rect>`,
      );
      if (showValues)
        parts.push(
          `<text x="${(x + bar * 0.46).toFixed(1)}" y="${(y(value) - 6).toFixed(1)}" ${FONT} font-size="13" text-anchor="middle" fill="#1a1a1a">${format(value)}</text>`,
        );
    });
    if (i % labelEvery === 0)
      parts.push(
        `<text x="${(PLOT.left + (i + 0.5) * group).toFixed(1)}" y="${PLOT.bottom + 24}" ${FONT} font-size="14" text-anchor="middle" fill="#1a1a1a">${escape(period)}</text>`,
      );
  });
  parts.push(
    `<text x="${(PLOT.left + plotWidth / 2).toFixed(1)}" y="${PLOT.bottom + 56}" ${FONT} font-size="16" text-anchor="middle" fill="#1a1a1a">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(28 ${(PLOT.top + plotHeight / 2).toFixed(1)}) rotate(-90)" ${FONT} font-size="16" text-anchor="middle" fill="#1a1a1a">${escape(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, s) => {
    const ly = PLOT.top + s * 28;
    parts.push(
      `<rect x="${PLOT.right + 24}" y="${ly}" width="16" height="16" fill="${PALETTE[s]}"/>`,
      `<text x="${PLOT.right + 48}" y="${ly + 13}" ${FONT} font-size="15" fill="#1a1a1a">${escape(series.name)}</text>`,
    );
  });
  if (chart.note)
    parts.push(
      `<text x="${PLOT.left}" y="${HEIGHT - 12}" ${FONT} font-size="13" fill="#4d4d4d">${escape(chart.note)}</text>`,
    );
  parts.push('</svg>');
  return parts.join('\n');
}
