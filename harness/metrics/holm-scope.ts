import type { ComparisonGroup } from './compare-axis.js';
import { holmAdjust } from './holm.js';
import type { CompareMetric } from './stat-metrics.js';

/**
 * Which tests Holm's correction treats as one family.
 * - `metric` (default): per group (a provider, or a variant when comparing
 *   models) and metric, the arms compared with the baseline.
 * - `all`: every verdict metric of every arm of every group at once, so the
 *   chance of any false "real change" in the verdicts stays at α.
 */
export type HolmScope = 'metric' | 'all';
export const HOLM_SCOPES: readonly HolmScope[] = ['metric', 'all'];

/** The metrics the verdicts speak of, whose flags `all` corrects together. */
export const HOLM_ALL_METRICS: readonly CompareMetric[] = ['turns', 'inputTokens', 'cost', 'batchingRate', 'success'];

/**
 * With scope `all`, re-flags the verdict metrics of every comparison by Holm
 * over all of them: the Holm-adjusted p-value below α. In place; the other
 * metrics keep their per-metric families. Returns the number of tests in the family (0 under `metric`).
 */
export function applyHolmScope(groups: readonly ComparisonGroup[], scope: HolmScope, alpha: number): number {
  if (scope !== 'all') return 0;
  const tests = groups.flatMap((g) => g.comparisons.flatMap((c) => HOLM_ALL_METRICS.map((m) => c.metrics[m]))).filter((x) => !Number.isNaN(x.p));
  const adjusted = holmAdjust(tests.map((x) => x.p));
  tests.forEach((x, i) => {
    x.pHolm = adjusted[i] as number;
    x.significant = x.pHolm < alpha;
    x.family = tests.length;
  });
  return tests.length;
}

/** The family in words, for the reports. */
export function holmFamilySentence(scope: HolmScope, arms: string, groupNoun: string, tests?: number): string {
  return scope === 'all'
    ? `Holm's family (--holm-scope all): every verdict metric (${HOLM_ALL_METRICS.join(', ')}) of every ${arms.replace(/s$/, '')} compared, ${tests ?? 0} tests at once.`
    : `Holm's family (--holm-scope metric, the default): per ${groupNoun} and metric, the ${arms} compared with the baseline; across metrics and ${groupNoun}s nothing is corrected, so use --holm-scope all to keep the chance of any false flag in the verdicts at 5%.`;
}
