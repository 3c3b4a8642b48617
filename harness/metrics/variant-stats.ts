import { isMeasured, type SessionRecord } from '../core/run-file/records.js';
import { batchingBand, type Band } from './bands.js';
import { taskBand, type TaskBand } from './task-band.js';
import { bootstrapMeans, percentileInterval } from './bootstrap.js';
import { median } from './describe.js';
import type { PriceChoice } from './prices.js';
import { STAT_METRICS, type SessionFigures, type StatMetric } from './stat-metrics.js';
import { meanCumulativeInput } from './token-curve.js';
import { wilsonInterval, type Proportion } from './wilson-interval.js';

export interface MetricStat {
  mean: number;
  median: number;
  /** Bounds of the confidence interval of the mean (NaN with fewer than 2 sessions). */
  lower: number;
  upper: number;
}

export interface VariantStats {
  providerId: string;
  providerKind: string;
  variantId: string;
  strategy: string;
  /** Every session of the group, measured or not. */
  sessions: number;
  /** Sessions every figure below rests on: completed, failed or budget-exceeded (`isMeasured`). */
  measured: number;
  statuses: { completed: number; failed: number; budgetExceeded: number; errored: number; skipped: number };
  /** Completed over measured sessions (estimate NaN when nothing was measured). */
  success: Proportion;
  stats: Record<StatMetric, MetricStat>;
  /** Figures pooled over every measured session of the variant; NaN when none was measured. */
  pooled: { toolCalls: number; parallelCalls: number; toolTurns: number; batchingRate: number; toolsPerTurn: number };
  band: Band;
  /**
   * Batching relative to the task (task-band.ts): the mean batched-of-batchable share over the measured
   * sessions whose task has something to batch, how many those are, and the band of that mean.
   */
  taskBatching: { share: number; sessions: number; band: TaskBand };
  /** `batchSizes[k]` = tool-calling turns that made k calls (index 0 unused). */
  batchSizes: number[];
  /** Mean cumulative input tokens after turn k (index k − 1). */
  tokenCurve: number[];
  tokensEstimated: boolean;
  price: PriceChoice | undefined;
}

export interface VariantStatsInput {
  providerId: string;
  providerKind: string;
  variantId: string;
  strategy: string;
  /** Every session of the group; errored and skipped ones are counted and left out of every figure. */
  sessions: readonly SessionRecord[];
  /** Figures of `sessions`, index for index. */
  figures: readonly SessionFigures[];
  price: PriceChoice | undefined;
  /** Each session's batched share of what its task allows (task-band.ts), index for index; NaN where the task has nothing to batch. */
  batchedOfBatchable?: readonly number[];
}

/** Mean, median and bootstrap CI of every metric, Wilson interval of success, band and curves of one provider x variant group. */
export function variantStats(input: VariantStatsInput, options: { resamples: number; seed: number; confidence: number; generalize?: boolean }): VariantStats {
  const sessions = input.sessions.filter(isMeasured);
  const figures = input.figures.filter((_, i) => {
    const s = input.sessions[i];
    return s !== undefined && isMeasured(s);
  });
  const columns = STAT_METRICS.map((m) => figures.map((f) => f[m]));
  // Sessions are drawn within their task (the suite's tasks are fixed), or with --generalize tasks, tasks then sessions.
  const dists = bootstrapMeans(columns, { resamples: options.resamples, seed: options.seed, strata: sessions.map((s) => s.scenarioId), ...(options.generalize ? { generalize: true } : {}) });
  const stats = Object.fromEntries(
    STAT_METRICS.map((m, i) => {
      const dist = dists[i];
      const interval = dist ? percentileInterval(dist, options.confidence) : { lower: Number.NaN, upper: Number.NaN };
      return [m, { mean: dist?.mean ?? Number.NaN, median: median(columns[i] ?? []), ...interval }];
    }),
  ) as Record<StatMetric, MetricStat>;
  const count = (status: SessionRecord['status']): number => input.sessions.filter((s) => s.status === status).length;
  const batchSizes: number[] = [0];
  let toolCalls = 0;
  let parallelCalls = 0;
  let toolTurns = 0;
  for (const f of figures) {
    for (const n of f.batchSizes) {
      if (n === 0) continue;
      toolTurns += 1;
      toolCalls += n;
      if (n >= 2) parallelCalls += n;
      while (batchSizes.length <= n) batchSizes.push(0);
      batchSizes[n] = (batchSizes[n] as number) + 1;
    }
  }
  const batchingRate = toolCalls === 0 ? 0 : parallelCalls / toolCalls;
  const toolsPerTurn = toolTurns === 0 ? 0 : toolCalls / toolTurns;
  const completed = count('completed');
  const shares = (input.batchedOfBatchable ?? []).filter((x, i) => {
    const s = input.sessions[i];
    return s !== undefined && isMeasured(s) && !Number.isNaN(x);
  });
  const share = shares.length === 0 ? Number.NaN : shares.reduce((a, b) => a + b, 0) / shares.length;
  return {
    providerId: input.providerId,
    providerKind: input.providerKind,
    variantId: input.variantId,
    strategy: input.strategy,
    sessions: input.sessions.length,
    measured: sessions.length,
    statuses: { completed, failed: count('failed'), budgetExceeded: count('budget-exceeded'), errored: count('errored'), skipped: count('skipped') },
    success: wilsonInterval(completed, sessions.length, options.confidence),
    stats,
    pooled: sessions.length === 0
      ? { toolCalls: Number.NaN, parallelCalls: Number.NaN, toolTurns: Number.NaN, batchingRate: Number.NaN, toolsPerTurn: Number.NaN }
      : { toolCalls, parallelCalls, toolTurns, batchingRate, toolsPerTurn },
    // The band of the figures the tables print beside it: the means per measured session.
    band: sessions.length === 0 ? 'not measured' : batchingBand(stats.batchingRate.mean, stats.avgToolsPerTurn.mean, toolCalls),
    taskBatching: { share, sessions: shares.length, band: sessions.length === 0 ? 'not measured' : taskBand(share) },
    batchSizes,
    tokenCurve: meanCumulativeInput(sessions),
    tokensEstimated: figures.some((f) => f.tokensEstimated),
    price: input.price,
  };
}
