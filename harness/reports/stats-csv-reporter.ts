import { comparisonEstimated, TOKEN_METRICS } from './estimate-mark.js';
import { join } from 'node:path';
import type { ReportModel } from '../metrics/report-model.js';
import { COMPARE_METRICS, STAT_METRICS } from '../metrics/stat-metrics.js';
import { writeCsv } from './csv-reporter.js';
import { baselineArm, isBaselineCell } from './axis-labels.js';
import type { Reporter } from './types.js';

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Empty cells for numbers that do not exist (an interval from one session, a price not known). */
const blankNaN = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? '' : v]));

/** variants.csv: one row per provider x variant, every metric with mean, median and CI bounds; `compared` and `baseline` say what the comparisons compare. */
export function variantRows(a: ReportModel): Record<string, unknown>[] {
  return a.providers.flatMap((p) =>
    p.variants.map((v) => ({
      provider: v.providerId,
      provider_kind: v.providerKind,
      variant: v.variantId,
      strategy: v.strategy,
      compared: a.compareBy,
      baseline: baselineArm(a),
      is_baseline: isBaselineCell(a, v),
      sessions: v.sessions,
      measured: v.measured,
      completed: v.statuses.completed,
      failed: v.statuses.failed,
      budget_exceeded: v.statuses.budgetExceeded,
      errored: v.statuses.errored,
      skipped: v.statuses.skipped,
      success_rate: v.success.estimate,
      success_ci_low: v.success.lower,
      success_ci_high: v.success.upper,
      band: v.measured === 0 ? '' : v.band,
      pooled_batching_rate: v.pooled.batchingRate,
      pooled_tools_per_turn: v.pooled.toolsPerTurn,
      batched_of_batchable: v.taskBatching.share,
      batched_of_batchable_sessions: v.taskBatching.sessions,
      task_band: v.taskBatching.band,
      price_model: v.price?.model ?? '',
      price_as_of: v.price?.price.asOf ?? '',
      tokens_estimated: v.tokensEstimated,
      ...Object.fromEntries(
        STAT_METRICS.flatMap((m) => {
          const s = v.stats[m];
          const k = snake(m);
          return [
            [`${k}_mean`, s.mean],
            [`${k}_median`, s.median],
            [`${k}_ci_low`, s.lower],
            [`${k}_ci_high`, s.upper],
          ];
        }),
      ),
    })),
  );
}

/**
 * comparison.csv: one row per provider x variant x metric, the paired
 * difference against the baseline of its group. `compared` is `variants`
 * (baseline: a variant of the same provider) or `models` (baseline: a
 * provider under the same variant).
 */
const finiteOr = (x: number): number | '' => (Number.isFinite(x) ? x : '');

export function comparisonRows(a: ReportModel): Record<string, unknown>[] {
  return a.groups.flatMap((g) =>
    g.comparisons.flatMap((c) =>
      COMPARE_METRICS.map((m) => {
        const x = c.metrics[m];
        return {
          provider: c.providerId,
          provider_kind: c.providerKind,
          variant: c.variantId,
          compared: a.compareBy,
          baseline: c.baselineId,
          metric: snake(m),
          pairs: c.pairs,
          pairs_dropped: c.dropped,
          unpaired_sessions: c.unpaired,
          baseline_mean: x.baselineMean,
          variant_mean: x.variantMean,
          difference: x.difference,
          relative_difference: Number.isFinite(x.relative) ? x.relative : '',
          ci_low: x.lower,
          ci_high: x.upper,
          p_value: x.p,
          p_holm: x.pHolm,
          significant: x.significant,
          estimated: TOKEN_METRICS.has(m) && comparisonEstimated(a, c),
          // The smallest change this comparison detects with 80% power at its Holm level (metrics/power.ts).
          detectable_change: finiteOr(x.detectable ?? Number.NaN),
          holm_family: x.family ?? 1,
        };
      }),
    ),
  );
}

export const statsCsvReporter: Reporter = {
  name: 'stats-csv',
  write(a, dir) {
    const files = [join(dir, 'variants.csv'), join(dir, 'comparison.csv')];
    const saved = new Map(a.savings.map((v) => [`${v.providerId}\u0000${v.variantId}`, v]));
    const withSavings = variantRows(a).map((row) => {
      const v = saved.get(`${String(row.provider)}\u0000${String(row.variant)}`);
      return {
        ...row,
        counterfactual_graph: v?.graph ?? '',
        counterfactual_sessions: v?.sessions ?? 0,
        counterfactual_saved_turns_per_1000: v?.per1000.turns ?? Number.NaN,
        counterfactual_saved_input_tokens_per_1000: v?.per1000.inputTokens ?? Number.NaN,
        counterfactual_saved_cost_usd_per_1000: v?.per1000.costUsd ?? Number.NaN,
        counterfactual_saved_latency_ms_per_1000: v?.per1000.latencyMs ?? Number.NaN,
      };
    });
    writeCsv(files[0] as string, withSavings.map(blankNaN));
    writeCsv(files[1] as string, comparisonRows(a).map(blankNaN));
    return Promise.resolve(files);
  },
};
