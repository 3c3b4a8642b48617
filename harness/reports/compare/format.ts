import type { MetricComparison } from '../../metrics/comparison.js';
import { METRIC_INFO, WASTE_METRICS, type CompareMetric, type MetricUnit } from '../../metrics/stat-metrics.js';
import { directionMark, formatDelta, formatInterval as reportInterval, formatRelative as reportRelative, formatValue as reportValue } from '../format.js';
import type { GateResult } from '../../metrics/evaluate-gates.js';
import { describeGate } from '../../metrics/gates.js';
import { latencyRows, rowTitle } from '../latency-note.js';

/** Metrics shown in comparison tables, in order (real wall time is left out: it measures the machine). */
export const SHOWN_METRICS: readonly CompareMetric[] = [
  'success',
  'turns',
  'overhead',
  'batchingRate',
  'avgToolsPerTurn',
  'efficiencyScore',
  'missedParallelCalls',
  'toolCalls',
  'inputTokens',
  'outputTokens',
  'cost',
  'virtualMs',
  ...WASTE_METRICS,
];

/** The rows of a group's table: a real model's latency measured first (latency-note.ts). */
export const shownMetricsOf = (g: { reference: boolean }): readonly CompareMetric[] => latencyRows(SHOWN_METRICS, !g.reference);

/** A row's title (latency-note.ts). */
export const rowLabel = (metric: CompareMetric, g: { reference: boolean }): string => rowTitle(metric, !g.reference);

const isNum = (x: number): boolean => Number.isFinite(x);
const unit = (metric: CompareMetric): MetricUnit => METRIC_INFO[metric].unit;

/** A metric value in its unit, as the run report writes it (shares as percentages, tokens grouped, cost in USD). */
export const formatValue = (metric: CompareMetric, x: number): string => reportValue(x, unit(metric));

/** A signed change: percentage points for shares, else the metric's unit. */
export const formatChange = (metric: CompareMetric, d: number): string => formatDelta(d, unit(metric));

export const formatP = (p: number): string => (!isNum(p) ? '–' : p < 0.001 ? '<0.001' : p.toFixed(3));

export function formatInterval(metric: CompareMetric, c: Pick<MetricComparison, 'lower' | 'upper'>): string {
  return reportInterval(c.lower, c.upper, unit(metric), true);
}

/** The change relative to the baseline mean; empty when there is none to show. */
export function formatRelative(c: Pick<MetricComparison, 'relative'>): string {
  return isNum(c.relative) && c.relative !== 0 ? reportRelative(c.relative) : '';
}

/** Whether a change is an improvement, a regression or neither, for colouring. */
export function changeTone(metric: CompareMetric, c: MetricComparison): 'better' | 'worse' | 'same' {
  if (!c.significant || !isNum(c.difference) || c.difference === 0) return 'same';
  return (c.difference > 0) === (METRIC_INFO[metric].better === 'higher') ? 'better' : 'worse';
}

/**
 * The numbers behind a gate decision in one sentence, e.g.
 * "batching_rate fell 25.0 pts (−52.9%): 47.2% -> 22.2% over 36 pairs, 95% CI −34.7 pts to −14.6 pts,
 * Holm-adjusted p 0.009 over 8 gate test(s); allowed: a drop of 5.0 pts; REGRESSION: beyond the limit and statistically real".
 */
export function gateSentence(r: GateResult, confidence: number): string {
  const m = r.gate.metric;
  const c = r.comparison;
  if (r.status === 'skipped') {
    return c.pairs < 2 ? `${r.gate.name}: not tested, ${c.pairs} session pair(s) (need 2)` : `${r.gate.name}: not tested, the metric has no value here`;
  }
  const moved = c.difference === 0 ? 'did not change' : `${c.difference > 0 ? 'rose' : 'fell'} ${formatChange(m, Math.abs(c.difference)).slice(1)}${formatRelative(c) ? ` (${formatRelative(c)})` : ''}`;
  const allowed = `allowed: a ${r.gate.bad} of ${formatChange(m, r.allowed).slice(1)}${r.gate.limit.kind === 'relative' ? ` (${+(r.gate.limit.fraction * 100).toPrecision(6)}% of the baseline)` : ''}`;
  const verdict =
    r.status === 'fail'
      ? `REGRESSION: beyond the limit and statistically real, ${directionMark(m, c.difference)}`
      : r.beyondLimit
        ? `beyond the limit but not statistically real (adjusted p >= ${formatP(1 - confidence)})`
        : 'within the limit';
  return `${r.gate.name} ${moved}: ${formatValue(m, c.baselineMean)} -> ${formatValue(m, c.variantMean)} over ${c.pairs} pairs, ${Math.round(confidence * 100)}% CI ${formatInterval(m, c)}, Holm-adjusted p ${formatP(r.pAdjusted)} over ${r.family} gate test(s); ${allowed}; ${verdict}`;
}

export const gateTitle = (r: GateResult): string => describeGate(r.gate);

/** Stable name of a compared group, e.g. `ref:optimal / baseline` (JUnit suite names). */
export const groupKey = (g: { baselineProvider: string; candidateProvider: string; variantId: string }): string =>
  g.baselineProvider === g.candidateProvider ? `${g.candidateProvider} / ${g.variantId}` : `${g.baselineProvider} -> ${g.candidateProvider} / ${g.variantId}`;

/** A compared group as people read it: its key, with reference policies labelled as such. */
export const groupLabel = (g: { baselineProvider: string; candidateProvider: string; variantId: string; reference: boolean }): string => {
  const providers = g.baselineProvider === g.candidateProvider ? g.candidateProvider : `${g.baselineProvider} -> ${g.candidateProvider}`;
  return `${providers}${g.reference ? ' (reference policy)' : ''} / ${g.variantId}`;
};
