import { seriesStyle, type SeriesStyle } from '../palette.js';
import { htmlEscape } from './history-html.js';

export interface TrendSeries {
  name: string;
  /** Colour and dash; default: the series' position in the palette. */
  style?: SeriesStyle;
  /** One value per x position; NaN where the series has no point. */
  values: readonly number[];
}

export interface TrendChart {
  title: string;
  /** Label of each x position (e.g. the run's date). */
  xLabels: readonly string[];
  series: readonly TrendSeries[];
  format: (v: number) => string;
  /** The values the metric can take (e.g. 0 to 1 for a rate): the y axis never runs outside them. */
  domain?: { min?: number; max?: number };
}

/** A line chart as inline SVG: one line per series over the runs, y axis from the data's range. Pure. */
export function trendSvg(chart: TrendChart, width = 560, height = 240): string {
  const left = 64;
  const right = 12;
  const top = 24;
  const bottom = 36;
  const all = chart.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  let lo = all.length > 0 ? Math.min(...all) : 0;
  let hi = all.length > 0 ? Math.max(...all) : 1;
  const min = chart.domain?.min ?? Number.NEGATIVE_INFINITY;
  const max = chart.domain?.max ?? Number.POSITIVE_INFINITY;
  if (hi === lo) {
    // A flat line: pad it, inside the metric's range (a success rate of 100% gets an axis up to 100%, not 110%).
    const pad = Math.abs(hi) * 0.1 || 1;
    lo = Math.max(min, lo - pad);
    hi = Math.min(max, hi + pad);
    if (hi === lo) hi = lo + pad;
  }
  const n = chart.xLabels.length;
  const x = (i: number): number => left + (n <= 1 ? (width - left - right) / 2 : (i / (n - 1)) * (width - left - right));
  const y = (v: number): number => top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom);
  const parts: string[] = [`<text x="${left}" y="14" style="font-weight:600;fill:var(--fg)">${htmlEscape(chart.title)}</text>`];
  for (const t of [lo, (lo + hi) / 2, hi]) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${htmlEscape(chart.format(t))}</text>`);
  }
  const step = Math.max(1, Math.ceil(n / 8));
  chart.xLabels.forEach((label, i) => {
    if (i % step !== 0 && i !== n - 1) return;
    const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle';
    parts.push(`<text x="${x(i).toFixed(1)}" y="${height - bottom + 16}" text-anchor="${anchor}">${htmlEscape(label)}</text>`);
  });
  chart.series.forEach((s, si) => {
    const { colour, dash } = s.style ?? seriesStyle(si);
    const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null));
    const runs: string[][] = [[]];
    for (const p of pts) {
      if (p === null) runs.push([]);
      else (runs.at(-1) as string[]).push(p);
    }
    for (const r of runs) if (r.length > 1) parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${r.join(' ')}"/>`);
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) {
        parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${colour}"><title>${htmlEscape(`${s.name} · ${chart.xLabels[i] ?? ''}: ${chart.format(v)}`)}</title></circle>`);
      }
    });
  });
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${htmlEscape(chart.title)}">${parts.join('')}</svg>`;
}

/** Line swatches naming each series, matching `trendSvg`'s colours and dashes. */
export function trendLegend(series: readonly { name: string; style?: SeriesStyle }[]): string {
  return `<p class="legend">${series
    .map((s, i) => {
      const { colour, dash } = s.style ?? seriesStyle(i);
      const swatch = `<svg width="26" height="10" aria-hidden="true"><line x1="1" x2="25" y1="5" y2="5" stroke="${colour}" stroke-width="3"${dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>`;
      return `<span style="display:inline-block;margin-right:16px">${swatch} ${htmlEscape(s.name)}</span>`;
    })
    .join('')}</p>`;
}
