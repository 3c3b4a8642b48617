import { isMeasured, type ScenarioManifest, type SessionRecord } from '../core/run-file/records.js';
import { mean, median } from './describe.js';
import { sessionMetrics, type SessionMetrics } from './session-metrics.js';

/** Numeric metrics summarised per group, in report order. */
export const SUMMARY_METRICS = [
  'turns',
  'overhead',
  'toolCalls',
  'parallelCalls',
  'avgToolsPerTurn',
  'batchingRate',
  'efficiencyScore',
  'toolErrors',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'virtualMs',
  'realMs',
  'duplicateCalls',
  'unexpectedCalls',
  'failedCalls',
  'recoveredCalls',
  'unrecoveredCalls',
  'wastedTurns',
  'wastedInputTokens',
  'trajectoryPrecision',
  'trajectoryRecall',
] as const satisfies readonly (keyof SessionMetrics)[];

export type SummaryMetric = (typeof SUMMARY_METRICS)[number];

export interface GroupSummary {
  providerId: string;
  providerKind: string;
  variantId: string;
  strategy: string;
  /** Every session of the group, measured or not. */
  sessions: number;
  /** Sessions the figures rest on (completed, failed, budget-exceeded): see `isMeasured`. */
  measured: number;
  completed: number;
  failed: number;
  budgetExceeded: number;
  /** Counted, never averaged. */
  errored: number;
  /** Counted, never averaged. */
  skipped: number;
  /** completed / measured (NaN when nothing was measured). */
  successRate: number;
  tokensEstimated: boolean;
  /** Over the measured sessions only; NaN when there are none. */
  mean: Record<SummaryMetric, number>;
  median: Record<SummaryMetric, number>;
}

/**
 * Per provider x variant: counts of every status, and the mean and median of
 * each metric over the measured sessions alone. Errored and skipped sessions
 * are counted, never averaged: they would enter as 0 turns, 0 tokens and $0.
 * `scenarios` (the run manifest's) give each session its required calls for
 * trajectory recall; without them recall is NaN.
 */
export function summarise(sessions: readonly SessionRecord[], scenarios: readonly ScenarioManifest[] = []): GroupSummary[] {
  const scenarioOf = new Map(scenarios.map((s) => [s.id, s]));
  return summariseGroups(sessions, (s) => sessionMetrics(s, scenarioOf.get(s.scenarioId)));
}

/** As `summarise`, with each session's metrics given (`metricsOf(session, index)`, asked only of measured sessions). */
export function summariseGroups(sessions: readonly SessionRecord[], metricsOf: (session: SessionRecord, index: number) => SessionMetrics): GroupSummary[] {
  const groups = new Map<string, number[]>();
  sessions.forEach((s, i) => {
    const key = `${s.provider.id}|${s.variantId}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  return [...groups.values()].map((indices) => {
    const group = indices.map((i) => sessions[i] as SessionRecord);
    const first = group[0] as SessionRecord;
    const measured = indices.filter((i) => isMeasured(sessions[i] as SessionRecord));
    const metrics = measured.map((i) => metricsOf(sessions[i] as SessionRecord, i));
    const stat = (f: (xs: number[]) => number): Record<SummaryMetric, number> =>
      Object.fromEntries(SUMMARY_METRICS.map((m) => [m, f(metrics.map((x) => x[m]))])) as Record<SummaryMetric, number>;
    const count = (status: SessionRecord['status']): number => group.filter((s) => s.status === status).length;
    return {
      providerId: first.provider.id,
      providerKind: first.provider.kind,
      variantId: first.variantId,
      strategy: first.strategy,
      sessions: group.length,
      measured: measured.length,
      completed: count('completed'),
      failed: count('failed'),
      budgetExceeded: count('budget-exceeded'),
      errored: count('errored'),
      skipped: count('skipped'),
      successRate: measured.length === 0 ? Number.NaN : count('completed') / measured.length,
      tokensEstimated: metrics.some((m) => m.tokensEstimated),
      mean: stat(mean),
      median: stat(median),
    };
  });
}
