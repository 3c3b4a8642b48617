import type { History, HistoryRow } from '../../metrics/history.js';
import { htmlEscape, htmlPage, htmlTable } from './history-html.js';
import { seriesStyle, type SeriesStyle } from '../palette.js';
import { trendLegend, trendSvg } from './trend-chart.js';
import { groupedNumber } from '../../core/grouped-number.js';

const CHARTS: { key: keyof HistoryRow; title: string; format: (v: number) => string; domain: { min: number; max?: number } }[] = [
  { key: 'success_rate', title: 'Success rate', format: (v) => `${(v * 100).toFixed(0)}%`, domain: { min: 0, max: 1 } },
  { key: 'mean_batching_rate', title: 'Batching rate (mean per session)', format: (v) => `${(v * 100).toFixed(0)}%`, domain: { min: 0, max: 1 } },
  { key: 'mean_turns', title: 'Turns per session (mean)', format: (v) => v.toFixed(2), domain: { min: 0 } },
  { key: 'mean_input_tokens', title: 'Input tokens per session (mean)', format: (v) => groupedNumber(Math.round(v)), domain: { min: 0 } },
  { key: 'mean_efficiency_score', title: 'Efficiency score (mean)', format: (v) => v.toFixed(2), domain: { min: 0 } },
];

/** Lines one chart may hold before the page switches to one small chart per provider. */
export const MAX_LINES_PER_CHART = 6;

/**
 * `history.html`: a trend chart per key metric over the runs, labelled by run
 * id. Up to MAX_LINES_PER_CHART provider x variant lines share a chart, each in
 * its own colour; beyond that each provider gets its own small chart, with one
 * colour per variant, the same in every chart. Self-contained.
 */
export function historyHtml(history: History): string {
  const xLabels = history.runs.map((r) => r.runId);
  const providers = [...new Set(history.rows.map((r) => r.provider))];
  const variants = [...new Set(history.rows.map((r) => r.variant))];
  const pairs = [...new Set(history.rows.map((r) => `${r.provider}\u0000${r.variant}`))].map((k) => k.split('\u0000') as [string, string]);
  const split = pairs.length > MAX_LINES_PER_CHART && providers.length > 1;
  const values = (key: keyof HistoryRow, provider: string, variant: string): number[] =>
    history.runs.map((run) => {
      const row = history.rows.find((r) => r.run_id === run.runId && r.provider === provider && r.variant === variant);
      return row ? (row[key] as number) : Number.NaN;
    });
  const figure = (c: (typeof CHARTS)[number], title: string, series: { name: string; values: number[]; style: SeriesStyle }[], width: number): string =>
    `<figure>${trendSvg({ title, xLabels, series, format: c.format, domain: c.domain }, width)}</figure>`;
  let legend: string;
  let charts: string;
  if (!split) {
    const series = pairs.map(([p, v], i) => ({ name: `${p} / ${v}`, style: seriesStyle(i) }));
    legend = trendLegend(series);
    charts = `<div class="charts">${CHARTS.map((c) => figure(c, c.title, pairs.map(([p, v], i) => ({ name: `${p} / ${v}`, values: values(c.key, p, v), style: seriesStyle(i) })), 560)).join('\n')}</div>`;
  } else {
    const style = (v: string): SeriesStyle => seriesStyle(variants.indexOf(v));
    legend = trendLegend(variants.map((v) => ({ name: v, style: style(v) })));
    charts = CHARTS.map(
      (c) =>
        `<h3>${htmlEscape(c.title)}</h3><div class="charts small">${providers
          .map((p) => figure(c, p, variants.filter((v) => pairs.some(([pp, vv]) => pp === p && vv === v)).map((v) => ({ name: `${p} / ${v}`, values: values(c.key, p, v), style: style(v) })), 420))
          .join('\n')}</div>`,
    ).join('\n');
  }
  const runs = htmlTable(
    ['run', 'started', 'directory'],
    history.runs.map((r) => [{ text: r.runId }, { text: r.startedAt }, { text: r.dir }]),
  );
  const body = `<h1>batchbench history</h1>
<p class="muted">The last ${history.runs.length} finished run(s) of suite ${htmlEscape(history.suite)} (scenario ids and content hashes), oldest first, labelled by run id (start times in the table below, UTC). Means per measured session of each provider and variant: errored and skipped sessions are counted in history.csv, never averaged, and a run with nothing measured leaves a gap.${split ? ` ${pairs.length} lines are too many for one chart: each provider has its own, and each variant the same colour in all of them.` : ''}</p>
${legend}
${charts}
<h2>Runs</h2>
${runs}
${history.skipped.length > 0 ? `<details><summary>${history.skipped.length} run director${history.skipped.length === 1 ? 'y' : 'ies'} left out</summary><ul>${history.skipped.map((s) => `<li>${htmlEscape(s.dir)}: ${htmlEscape(s.why)}</li>`).join('')}</ul></details>` : ''}`;
  return htmlPage('batchbench history', body);
}
