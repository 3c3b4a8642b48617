import type { VariantComparison } from '../metrics/comparison.js';
import type { ProviderAnalysis, RunAnalysis } from '../metrics/run-analysis.js';
import { METRIC_INFO, type CompareMetric } from '../metrics/stat-metrics.js';
import { formatDelta, formatInterval, formatRelative, isImprovement, providerLabel } from './format.js';

/** Metrics the one-line verdict speaks of, in order. */
export const VERDICT_METRICS: readonly CompareMetric[] = ['turns', 'inputTokens', 'cost', 'batchingRate'];

export interface VerdictPart {
  metric: CompareMetric;
  text: string;
  significant: boolean;
  improvement: boolean;
}

export interface Verdict {
  providerId: string;
  providerKind: string;
  providerLabel: string;
  variantId: string;
  baselineId: string;
  pairs: number;
  parts: VerdictPart[];
  success: string;
  /** Plain-text sentence, e.g. "together vs plain: turns −0.45 (−12.3%; 95% CI ...) ..." */
  sentence: string;
}

const verbs: Partial<Record<CompareMetric, [string, string]>> = {
  turns: ['cuts round-trips', 'adds round-trips'],
  inputTokens: ['cuts input tokens', 'adds input tokens'],
  cost: ['cuts cost', 'adds cost'],
  batchingRate: ['raises the batching rate', 'lowers the batching rate'],
};

function part(metric: CompareMetric, c: VariantComparison, confidence: number): VerdictPart {
  const m = c.metrics[metric];
  const info = METRIC_INFO[metric];
  const [down, up] = verbs[metric] ?? ['lowers ' + info.label, 'raises ' + info.label];
  const lowerIsGood = info.better === 'lower';
  const verb = m.difference < 0 ? (lowerIsGood ? down : up) : lowerIsGood ? up : down;
  const size = info.unit === 'share' ? formatDelta(Math.abs(m.difference), 'share').replace(/^[+−±]/, '') : formatRelative(Math.abs(m.relative)).replace(/^[+−±]/, '') || formatDelta(Math.abs(m.difference), info.unit).replace(/^[+−±]/, '');
  const ci = `${Math.round(confidence * 100)}% CI ${formatInterval(m.lower, m.upper, info.unit, true)}`;
  const name = metric === 'turns' ? 'round-trips' : info.label.toLowerCase();
  const text =
    m.difference === 0 && m.lower === 0 && m.upper === 0
      ? `${name} identical in every pair`
      : `${m.difference === 0 ? `leaves ${info.label.toLowerCase()} unchanged` : `${verb} by ${size}`} (${formatDelta(m.difference, info.unit)}, ${ci}${m.significant ? ', real change' : ', not significant'})`;
  return { metric, text, significant: m.significant, improvement: isImprovement(metric, m.difference) };
}

export function verdictFor(provider: ProviderAnalysis, c: VariantComparison, confidence: number): Verdict {
  const parts = VERDICT_METRICS.map((m) => part(m, c, confidence));
  const s = c.metrics.success;
  const success = s.difference === 0 && s.lower === 0 && s.upper === 0
    ? 'success identical in every pair'
    : s.significant
    ? `success ${s.difference > 0 ? 'up' : 'down'} ${formatDelta(s.difference, 'share')} (${Math.round(confidence * 100)}% CI ${formatInterval(s.lower, s.upper, 'share', true)}, real change)`
    : `success unchanged (${formatDelta(s.difference, 'share')}, ${Math.round(confidence * 100)}% CI ${formatInterval(s.lower, s.upper, 'share', true)})`;
  const label = providerLabel(provider.id, provider.kind);
  return {
    providerId: provider.id,
    providerKind: provider.kind,
    providerLabel: label,
    variantId: c.variantId,
    baselineId: c.baselineId,
    pairs: c.pairs,
    parts,
    success,
    sentence: `${label}: ${c.variantId} vs ${c.baselineId} (${c.pairs} pairs): ${parts.map((p) => p.text).join('; ')}; ${success}.`,
  };
}

export function verdicts(analysis: RunAnalysis): Verdict[] {
  return analysis.providers.flatMap((p) => p.comparisons.map((c) => verdictFor(p, c, analysis.confidence)));
}

/** The seed's sequential-versus-batched token picture, from this run's reference policies. */
export function tokenContrast(analysis: RunAnalysis): { sequential: number; optimal: number; saving: number } | undefined {
  const pick = (id: string): number[] | undefined => {
    const p = analysis.providers.find((x) => x.id === id);
    return (p?.variants.find((v) => v.variantId === analysis.baseline) ?? p?.variants[0])?.tokenCurve;
  };
  const seq = pick('ref:sequential');
  const opt = pick('ref:optimal');
  const a = seq?.at(-1);
  const b = opt?.at(-1);
  if (a === undefined || b === undefined || a === 0) return undefined;
  return { sequential: a, optimal: b, saving: 1 - b / a };
}
