import type { CellComparison } from '../metrics/compare-axis.js';
import type { ReportModel } from '../metrics/report-model.js';
import { METRIC_INFO, type CompareMetric } from '../metrics/stat-metrics.js';
import { armLabel } from './axis-labels.js';
import { comparisonEstimated, estimateMark } from './estimate-mark.js';
import { directionMark, formatDelta, formatInterval, formatRelative, formatValue, isImprovement, providerLabel } from './format.js';

/** Metrics the one-line verdict speaks of, in order. */
export const VERDICT_METRICS: readonly CompareMetric[] = ['turns', 'inputTokens', 'cost', 'batchingRate'];

export interface VerdictPart {
  metric: CompareMetric;
  /** What happened: a real change, no clear change, or the same value in every pair. */
  kind: 'real' | 'unclear' | 'identical';
  /** For real changes: "cuts round-trips by 38.2% (−1.85, 95% CI −1.93 to −1.77)". */
  text: string;
  improvement: boolean;
}

export interface Verdict {
  providerId: string;
  providerKind: string;
  providerLabel: string;
  variantId: string;
  /** The baseline: a variant of the same provider, or a provider under the same variant (by the analysis's axis). */
  baselineId: string;
  /** Pairs measured on both sides, and pairs dropped because a side errored or was skipped. */
  pairs: number;
  dropped: number;
  parts: VerdictPart[];
  success: string;
  /** Plain-text sentence: real changes with their intervals, then what did not clearly change. */
  sentence: string;
}

const verbs: Partial<Record<CompareMetric, [string, string]>> = {
  turns: ['cuts round-trips', 'adds round-trips'],
  inputTokens: ['cuts input tokens', 'adds input tokens'],
  cost: ['cuts cost', 'adds cost'],
  batchingRate: ['lowers the batching rate', 'raises the batching rate'],
};

const shortName: Partial<Record<CompareMetric, string>> = { turns: 'round-trips', inputTokens: 'input tokens', cost: 'cost', batchingRate: 'batching rate' };

function part(metric: CompareMetric, c: CellComparison, confidence: number, estimated: boolean): VerdictPart {
  const m = c.metrics[metric];
  const info = METRIC_INFO[metric];
  const improvement = isImprovement(metric, m.difference);
  if (m.difference === 0 && m.lower === 0 && m.upper === 0) return { metric, kind: 'identical', text: '', improvement };
  if (!m.significant) {
    // What the run could have seen: the change detected with 80% power at the Holm level of its family.
    const detect = m.detectable ?? Number.NaN;
    const could = Number.isFinite(detect) ? ` (could detect ≥ ${formatDelta(detect, info.unit).replace(/^[+±]/, '')}${estimateMark(metric, estimated)})` : '';
    return { metric, kind: 'unclear', text: `${shortName[metric] ?? info.label.toLowerCase()}${could}`, improvement };
  }
  const [down, up] = verbs[metric] ?? [`lowers ${info.label.toLowerCase()}`, `raises ${info.label.toLowerCase()}`];
  const verb = m.difference < 0 ? down : up;
  const size = info.unit === 'share' ? formatDelta(Math.abs(m.difference), 'share').slice(1) : formatRelative(Math.abs(m.relative)).slice(1) || formatValue(Math.abs(m.difference), info.unit);
  const ci = `${Math.round(confidence * 100)}% CI ${formatInterval(m.lower, m.upper, info.unit, true)}`;
  return { metric, kind: 'real', text: `${verb} by ${size} (${formatDelta(m.difference, info.unit)}${estimateMark(metric, estimated)}, ${ci}) ${directionMark(metric, m.difference)}`, improvement };
}

const list = (names: string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`);
const listAnd = (names: string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`);

/** The verdict on one cell against its baseline: "<provider>: <variant> vs <baseline variant>", or "<variant>: <model> vs <baseline model>" when comparing models. */
export function verdictFor(analysis: ReportModel, c: CellComparison): Verdict {
  const confidence = analysis.confidence;
  const estimated = comparisonEstimated(analysis, c);
  const parts = VERDICT_METRICS.map((m) => part(m, c, confidence, estimated));
  const s = c.metrics.success;
  const pct = Math.round(confidence * 100);
  const success =
    s.difference === 0 && s.lower === 0 && s.upper === 0
      ? 'success identical in every pair'
      : s.significant
        ? `success ${s.difference > 0 ? 'up' : 'down'} ${formatDelta(s.difference, 'share').slice(1)} (${pct}% CI ${formatInterval(s.lower, s.upper, 'share', true)}) ${directionMark('success', s.difference)}`
        : `success unchanged (${formatDelta(s.difference, 'share')}, ${pct}% CI ${formatInterval(s.lower, s.upper, 'share', true)})`;
  const label = providerLabel(c.providerId, c.providerKind);
  const name = (p: VerdictPart): string => shortName[p.metric] ?? METRIC_INFO[p.metric].label.toLowerCase();
  const real = parts.filter((p) => p.kind === 'real').map((p) => p.text);
  const unclear = parts.filter((p) => p.kind === 'unclear').map((p) => p.text || name(p));
  const successIdentical = s.difference === 0 && s.lower === 0 && s.upper === 0;
  const identical = [...parts.filter((p) => p.kind === 'identical').map(name), ...(successIdentical ? ['success'] : [])];
  const clauses = [
    ...real,
    ...(unclear.length > 0 ? [`no clear change in ${list(unclear)}`] : []),
    ...(identical.length > 0 ? [`${listAnd(identical)} identical in every pair`] : []),
    ...(successIdentical ? [] : [success]),
  ];
  const pairs = `${c.pairs} pairs${c.dropped > 0 ? `, ${c.dropped} dropped: a side errored or was skipped` : ''}`;
  const said = c.pairs === 0 ? 'no pair measured on both sides, nothing to compare' : clauses.join('; ');
  return {
    providerId: c.providerId,
    providerKind: c.providerKind,
    providerLabel: label,
    variantId: c.variantId,
    baselineId: c.baselineId,
    pairs: c.pairs,
    dropped: c.dropped,
    parts: c.pairs === 0 ? [] : parts,
    success,
    sentence:
      analysis.compareBy === 'variants'
        ? `${label}: ${c.variantId} vs ${c.baselineId} (${pairs}): ${said}.`
        : `${c.variantId}: ${label} vs ${armLabel(analysis, c.baselineId)} (${pairs}): ${said}.`,
  };
}

/** Every cell's verdict against its baseline; none when no session of the run was measured. */
export function verdicts(analysis: ReportModel): Verdict[] {
  if (analysis.measured === 0) return [];
  return analysis.groups.flatMap((g) => g.comparisons.map((c) => verdictFor(analysis, c)));
}

/** The seed's sequential-versus-batched token picture, from this run's reference policies. */
export function tokenContrast(analysis: ReportModel): { sequential: number; optimal: number; saving: number; estimated: boolean } | undefined {
  const cell = (id: string) => {
    const p = analysis.providers.find((x) => x.id === id);
    return p?.variants.find((v) => v.variantId === analysis.baseline) ?? p?.variants[0];
  };
  const seq = cell('ref:sequential');
  const opt = cell('ref:optimal');
  const a = seq?.tokenCurve.at(-1);
  const b = opt?.tokenCurve.at(-1);
  if (a === undefined || b === undefined || a === 0) return undefined;
  return { sequential: a, optimal: b, saving: 1 - b / a, estimated: (seq?.tokensEstimated ?? false) || (opt?.tokensEstimated ?? false) };
}
