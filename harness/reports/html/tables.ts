import { comparisonEstimated, estimateMark } from '../estimate-mark.js';
import { armKey, type CellComparison, type ComparisonGroup } from '../../metrics/compare-axis.js';
import type { ReportModel } from '../../metrics/report-model.js';
import { COMPARE_METRICS, METRIC_INFO, type CompareMetric } from '../../metrics/stat-metrics.js';
import type { VariantStats } from '../../metrics/variant-stats.js';
import { cellLabel, groupTitle, isBaselineCell } from '../axis-labels.js';
import { formatDelta, formatInterval, formatRelative, formatValue, isImprovement, providerLabel } from '../format.js';
import { escapeHtml as h } from './escape.js';
import { latencyRows, rowTitle } from '../latency-note.js';
import { formatTaskBatching } from '../task-band-format.js';

/**
 * Columns of the headline table and whether each gets a Δ column. Overhead has
 * none: within a pair the optimal turns are equal, so its Δ is the Δ of turns.
 */
const HEADLINE: readonly { metric: Exclude<CompareMetric, 'success'>; delta: boolean }[] = [
  { metric: 'turns', delta: true },
  { metric: 'overhead', delta: false },
  { metric: 'batchingRate', delta: true },
  { metric: 'avgToolsPerTurn', delta: false },
  { metric: 'missedParallelCalls', delta: true },
  { metric: 'inputTokens', delta: true },
  { metric: 'cost', delta: true },
  { metric: 'virtualMs', delta: true },
];

/** The headline rows of a group: with a real model in it, the measured latency leads (latency-note.ts). */
function headlineRows(g: ComparisonGroup): { metric: Exclude<CompareMetric, 'success'>; delta: boolean; label: string }[] {
  const measured = g.cells.some((v) => v.providerKind === 'model');
  const delta = new Map(HEADLINE.map((r) => [r.metric, r.delta]));
  return latencyRows(HEADLINE.map((r) => r.metric), measured).map((metric) => ({ metric, delta: delta.get(metric) ?? true, label: rowTitle(metric, measured) }));
}

/** A Δ cell: paired difference against the baseline with its interval and the ✓ real flag. */
export function flagCell(metric: CompareMetric, c: CellComparison | undefined, isBaseline: boolean, estimated = false): string {
  if (isBaseline) return '<td class="muted">baseline</td>';
  if (!c || c.pairs === 0) return `<td class="muted">no pairs${c && c.dropped > 0 ? ` (${c.dropped} dropped)` : ''}</td>`;
  const x = c.metrics[metric];
  const unit = METRIC_INFO[metric].unit;
  const rel = unit === 'share' ? '' : ` <span class="ci">${h(formatRelative(x.relative))}</span>`;
  const flag = x.significant
    ? ` <span class="flag ${isImprovement(metric, x.difference) ? 'good' : 'bad'}" title="real change: the interval excludes zero after Holm's correction">✓ real</span>`
    : '';
  return `<td class="num">${h(formatDelta(x.difference, unit))}${estimateMark(metric, estimated)}${rel}${flag}<br><span class="ci">${h(formatInterval(x.lower, x.upper, unit, true))}</span></td>`;
}

/** A cell for a figure of a group with nothing measured: a dash, never 0. */
const NOT_MEASURED = '<td class="num muted" title="no measured session">–</td>';

export function valueCell(v: VariantStats, metric: Exclude<CompareMetric, 'success'>): string {
  if (v.measured === 0) return NOT_MEASURED;
  const s = v.stats[metric];
  const unit = METRIC_INFO[metric].unit;
  const star = estimateMark(metric, v.tokensEstimated);
  return `<td class="num">${h(formatValue(s.mean, unit))}${star}<br><span class="ci">${h(formatInterval(s.lower, s.upper, unit))}</span></td>`;
}

export const comparisonOf = (g: ComparisonGroup, a: ReportModel, v: VariantStats): CellComparison | undefined =>
  g.comparisons.find((x) => x.armId === armKey(a.compareBy, v));

/** The inside of a Δ cell (see flagCell), or undefined for the baseline and cells with no pairs. */
function deltaInner(metric: CompareMetric, c: CellComparison | undefined, isBaseline: boolean, estimated = false): string | undefined {
  if (isBaseline || !c || c.pairs === 0) return undefined;
  const cell = flagCell(metric, c, false, estimated);
  return cell.replace(/^<td class="num">/, '').replace(/<\/td>$/, '');
}

/**
 * One group as a table with the metrics as rows and the group's cells (a
 * provider's variants, or a variant's models) as columns: each cell holds the
 * mean with its interval and, below it, the paired Δ against the baseline.
 * Seven columns for six variants: it fits 1,400 px with nothing cut.
 */
export function headlineTable(g: ComparisonGroup, a: ReportModel): string {
  const cols = g.cells.map((v) => ({ v, isBaseline: isBaselineCell(a, v), c: comparisonOf(g, a, v) }));
  const head = `<tr><th>metric</th>${cols
    .map(
      ({ v, isBaseline }) =>
        `<th>${a.compareBy === 'models' && v.providerKind === 'reference' ? `<span class="ref">${h(cellLabel(a, v))}</span>` : h(cellLabel(a, v))}${isBaseline ? ' <span class="tag">baseline</span>' : ''}<br><span class="ci">${h(v.strategy)}</span></th>`,
    )
    .join('')}</tr>`;
  const stack = (value: string, delta: string | undefined, isBaseline: boolean): string =>
    `<td class="num">${value}${delta !== undefined ? `<div class="delta">Δ ${delta}</div>` : isBaseline ? '<div class="delta muted">baseline</div>' : ''}</td>`;
  const inner = (td: string): string => td.replace(/^<td[^>]*>/, '').replace(/<\/td>$/, '');
  const sessions = `<tr><th>sessions<br><span class="ci">measured · errored · skipped</span></th>${cols
    .map(({ v }) => `<td class="num${v.statuses.errored + v.statuses.skipped > 0 ? ' bad' : ''}">${v.sessions}<br><span class="ci">${v.measured} · ${v.statuses.errored} · ${v.statuses.skipped}</span></td>`)
    .join('')}</tr>`;
  const success = `<tr><th>Success rate</th>${cols
    .map(({ v, c, isBaseline }) =>
      v.measured === 0
        ? NOT_MEASURED
        : stack(`${h(formatValue(v.success.estimate, 'share'))}<br><span class="ci">${h(formatInterval(v.success.lower, v.success.upper, 'share'))}</span>`, deltaInner('success', c, isBaseline), isBaseline),
    )
    .join('')}</tr>`;
  const band = `<tr><th>Band</th>${cols
    .map(({ v }) =>
      v.measured === 0
        ? `<td class="band muted">${h(v.band)}</td>`
        : `<td class="band" title="from the means beside it: batching rate ${h(formatValue(v.stats.batchingRate.mean, 'share'))}, ${h(v.stats.avgToolsPerTurn.mean.toFixed(2))} tools per tool-calling turn; relative to the task: ${h(formatTaskBatching(v))}">${h(v.band)}</td>`,
    )
    .join('')}</tr>`;
  const metricRows = headlineRows(g).map(
    ({ metric, delta, label }) =>
      `<tr><th>${h(label)}</th>${cols
        .map(({ v, c, isBaseline }) => {
          const value = valueCell(v, metric);
          if (v.measured === 0) return value;
          if (!delta) return value;
          if (!isBaseline && (!c || c.pairs === 0)) return stack(inner(value), `<span class="muted">no pairs${c && c.dropped > 0 ? ` (${c.dropped} dropped)` : ''}</span>`, false);
          return stack(inner(value), deltaInner(metric, c, isBaseline, c !== undefined && comparisonEstimated(a, c)), isBaseline);
        })
        .join('')}</tr>`,
  );
  return `<div class="scroll"><table class="headline"><thead>${head}</thead><tbody>${sessions}${success}${band}${metricRows.join('')}</tbody></table></div>`;
}

/** Every metric of every cell of a group, with the comparison against the baseline: the long form of the headline table. */
export function fullTable(g: ComparisonGroup, a: ReportModel): string {
  const head = ['metric', ...g.cells.map((v) => cellLabel(a, v))].map((t) => `<th>${h(t)}</th>`).join('');
  const counts = `<tr><th>sessions (measured / errored / skipped)</th>${g.cells
    .map((v) => `<td class="num">${v.sessions} (${v.measured} / ${v.statuses.errored} / ${v.statuses.skipped})</td>`)
    .join('')}</tr>`;
  const rows = COMPARE_METRICS.map((m) => {
    const cells = g.cells.map((v) => {
      if (v.measured === 0) return NOT_MEASURED;
      const isBaseline = isBaselineCell(a, v);
      const c = comparisonOf(g, a, v);
      const value =
        m === 'success'
          ? `${h(formatValue(v.success.estimate, 'share'))} <span class="ci">${h(formatInterval(v.success.lower, v.success.upper, 'share'))}</span>`
          : `${h(formatValue(v.stats[m].mean, METRIC_INFO[m].unit))} <span class="ci">median ${h(formatValue(v.stats[m].median, METRIC_INFO[m].unit))}; ${h(formatInterval(v.stats[m].lower, v.stats[m].upper, METRIC_INFO[m].unit))}</span>`;
      if (isBaseline || !c || c.pairs === 0) return `<td class="num">${value}</td>`;
      const x = c.metrics[m];
      const flag = x.significant ? ` <span class="flag ${isImprovement(m, x.difference) ? 'good' : 'bad'}">✓</span>` : '';
      return `<td class="num">${value}<br><span class="ci">Δ ${h(formatDelta(x.difference, METRIC_INFO[m].unit))} (${h(formatInterval(x.lower, x.upper, METRIC_INFO[m].unit, true))}), p<sub>Holm</sub> ${Number.isFinite(x.pHolm) ? x.pHolm.toFixed(3) : '–'}</span>${flag}</td>`;
    });
    return `<tr><th>${h(METRIC_INFO[m].label)}</th>${cells.join('')}</tr>`;
  });
  return `<details><summary>All metrics for ${h(groupTitle(a, g))}</summary><div class="scroll"><table>${`<thead><tr>${head}</tr></thead>`}<tbody>${counts}${rows.join('')}</tbody></table></div></details>`;
}

export function heatmapTable(a: ReportModel): string {
  const groups = a.providers.flatMap((p) => p.variants.map((v) => ({ p, v })));
  const max = Math.max(1e-9, ...a.scenarios.flatMap((s) => s.cells.map((c) => (Number.isFinite(c.meanOverhead) ? c.meanOverhead : 0))));
  const head = `<tr><th>scenario</th><th>optimal turns</th>${groups.map(({ p, v }) => `<th>${h(providerLabel(p.id, p.kind))}<br>${h(v.variantId)}</th>`).join('')}</tr>`;
  const rows = a.scenarios.map((s) => {
    const cells = groups.map(({ p, v }) => {
      const c = s.cells.find((x) => x.providerId === p.id && x.variantId === v.variantId);
      if (!c || c.measured === 0) return `<td class="muted"${c && c.sessions > 0 ? ` title="${h(`${c.sessions} sessions, none measured`)}"` : ''}>–</td>`;
      const level = Math.max(0, Math.min(1, c.meanOverhead / max));
      const unmeasured = c.sessions - c.measured;
      return `<td class="cell" style="--h:${level.toFixed(3)}" title="${h(`${c.measured} measured sessions${unmeasured > 0 ? ` (${unmeasured} errored or skipped, left out)` : ''}; mean missed-parallel calls ${c.meanMissed.toFixed(2)}`)}">${h(c.meanOverhead.toFixed(2))}</td>`;
    });
    return `<tr><th><a href="#scenario-${h(slug(s.scenarioId))}">${h(s.scenarioId)}</a><br><span class="ci">${h(s.title)}</span></th><td class="num">${Number.isFinite(s.optimalTurns) ? s.optimalTurns : '–'}</td>${cells.join('')}</tr>`;
  });
  return `<div class="scroll labelled" role="region" tabindex="0" aria-label="Turn overhead by scenario: scrolls sideways, the scenario column stays"><table class="heat"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** A fragment id safe in HTML and CSS selectors. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)?.toString(16) ?? ''}`);
}

