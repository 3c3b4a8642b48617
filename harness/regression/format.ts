import type { MetricComparison } from '../metrics/comparison.js';
import { METRIC_INFO, type CompareMetric } from '../metrics/stat-metrics.js';
import type { GateResult } from './evaluate-gates.js';
import { describeGate } from './gates.js';

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
];

const isNum = (x: number): boolean => Number.isFinite(x);

/** A metric value in its unit: shares as percentages, tokens as integers, cost in USD. */
export function formatValue(metric: CompareMetric, x: number): string {
  if (!isNum(x)) return 'n/a';
  switch (METRIC_INFO[metric].unit) {
    case 'share':
      return `${(x * 100).toFixed(1)}%`;
    case 'tokens':
    case 'ms':
      return Math.round(x).toLocaleString('en-US');
    case 'usd':
      return `$${x.toFixed(4)}`;
    default:
      return x.toFixed(2);
  }
}

/** A signed change: shares in percentage points, the rest in the metric's unit. */
export function formatChange(metric: CompareMetric, d: number): string {
  if (!isNum(d)) return 'n/a';
  const sign = d > 0 ? '+' : d < 0 ? '-' : '±';
  const a = Math.abs(d);
  switch (METRIC_INFO[metric].unit) {
    case 'share':
      return `${sign}${(a * 100).toFixed(1)} pts`;
    case 'tokens':
    case 'ms':
      return `${sign}${Math.round(a).toLocaleString('en-US')}`;
    case 'usd':
      return `${sign}$${a.toFixed(4)}`;
    default:
      return `${sign}${a.toFixed(2)}`;
  }
}

export const formatP = (p: number): string => (!isNum(p) ? 'n/a' : p < 0.001 ? '<0.001' : p.toFixed(3));

export function formatInterval(metric: CompareMetric, c: Pick<MetricComparison, 'lower' | 'upper'>): string {
  return isNum(c.lower) && isNum(c.upper) ? `[${formatChange(metric, c.lower)}, ${formatChange(metric, c.upper)}]` : 'n/a';
}

export function formatRelative(c: Pick<MetricComparison, 'relative'>): string {
  return isNum(c.relative) && c.relative !== 0 ? `${c.relative > 0 ? '+' : '-'}${Math.abs(c.relative * 100).toFixed(1)}%` : '';
}

/** Whether a change is an improvement, a regression or neither, for colouring. */
export function changeTone(metric: CompareMetric, c: MetricComparison): 'better' | 'worse' | 'same' {
  if (!c.significant || !isNum(c.difference) || c.difference === 0) return 'same';
  return (c.difference > 0) === (METRIC_INFO[metric].better === 'higher') ? 'better' : 'worse';
}

/**
 * The numbers behind a gate decision in one sentence, e.g.
 * "batching_rate fell 53.3 pts (80.0% -> 26.7%), 95% CI [-61.2 pts, -45.0 pts], Holm-adjusted p <0.001 over 8 gate tests; allowed: a drop of 5.0 pts".
 */
export function gateSentence(r: GateResult, confidence: number): string {
  const m = r.gate.metric;
  const c = r.comparison;
  if (r.status === 'skipped') {
    return c.pairs < 2 ? `${r.gate.name}: not tested, ${c.pairs} session pair(s) (need 2)` : `${r.gate.name}: not tested, the metric has no value here`;
  }
  const moved = c.difference === 0 ? 'did not change' : `${c.difference > 0 ? 'rose' : 'fell'} ${formatChange(m, Math.abs(c.difference)).replace(/^\+/, '')}${formatRelative(c) ? ` (${formatRelative(c)})` : ''}`;
  const allowed = `allowed: a ${r.gate.bad} of ${formatChange(m, r.allowed).replace(/^[+±]/, '')}${r.gate.limit.kind === 'relative' ? ` (${+(r.gate.limit.fraction * 100).toPrecision(6)}% of the baseline)` : ''}`;
  const verdict =
    r.status === 'fail'
      ? 'REGRESSION: beyond the limit and statistically real'
      : r.beyondLimit
        ? `beyond the limit but not statistically real (adjusted p >= ${formatP(1 - confidence)})`
        : 'within the limit';
  return `${r.gate.name} ${moved}: ${formatValue(m, c.baselineMean)} -> ${formatValue(m, c.variantMean)} over ${c.pairs} pairs, ${Math.round(confidence * 100)}% CI ${formatInterval(m, c)}, Holm-adjusted p ${formatP(r.pAdjusted)} over ${r.family} gate test(s); ${allowed}; ${verdict}`;
}

export const gateTitle = (r: GateResult): string => describeGate(r.gate);

export const groupLabel = (g: { baselineProvider: string; candidateProvider: string; variantId: string }): string =>
  g.baselineProvider === g.candidateProvider ? `${g.candidateProvider} / ${g.variantId}` : `${g.baselineProvider} -> ${g.candidateProvider} / ${g.variantId}`;
