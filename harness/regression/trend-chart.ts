import { htmlEscape } from './html.js';

export interface TrendSeries {
  name: string;
  /** One value per x position; NaN where the series has no point. */
  values: readonly number[];
}

export interface TrendChart {
  title: string;
  /** Label of each x position (e.g. the run's date). */
  xLabels: readonly string[];
  series: readonly TrendSeries[];
  format: (v: number) => string;
}

const PALETTE = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#9a6700', '#bf3989', '#0a7f8c', '#6e7781'];

/** A line chart as inline SVG: one line per series over the runs, y axis from the data's range. Pure. */
export function trendSvg(chart: TrendChart, width = 560, height = 240): string {
  const left = 64;
  const right = 12;
  const top = 24;
  const bottom = 36;
  const all = chart.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  let lo = all.length > 0 ? Math.min(...all) : 0;
  let hi = all.length > 0 ? Math.max(...all) : 1;
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
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
    const colour = PALETTE[si % PALETTE.length] as string;
    const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null));
    const runs: string[][] = [[]];
    for (const p of pts) {
      if (p === null) runs.push([]);
      else (runs.at(-1) as string[]).push(p);
    }
    for (const r of runs) if (r.length > 1) parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${r.join(' ')}"/>`);
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) {
        parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${colour}"><title>${htmlEscape(`${s.name} · ${chart.xLabels[i] ?? ''}: ${chart.format(v)}`)}</title></circle>`);
      }
    });
  });
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${htmlEscape(chart.title)}">${parts.join('')}</svg>`;
}

/** Colour swatches naming each series, matching `trendSvg`'s colours. */
export function trendLegend(series: readonly { name: string }[]): string {
  return `<p>${series
    .map((s, i) => `<span style="display:inline-block;margin-right:16px"><span style="display:inline-block;width:12px;height:12px;background:${PALETTE[i % PALETTE.length]};margin-right:4px;vertical-align:-1px"></span>${htmlEscape(s.name)}</span>`)
    .join('')}</p>`;
}
