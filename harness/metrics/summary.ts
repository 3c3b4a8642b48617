import type { ScenarioManifest, SessionRecord } from '../records.js';
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
  sessions: number;
  completed: number;
  failed: number;
  budgetExceeded: number;
  errored: number;
  successRate: number;
  tokensEstimated: boolean;
  mean: Record<SummaryMetric, number>;
  median: Record<SummaryMetric, number>;
}

/** Sessions grouped by provider and variant, in first-seen order. */
export function groupSessions(sessions: readonly SessionRecord[]): Map<string, SessionRecord[]> {
  const groups = new Map<string, SessionRecord[]>();
  for (const s of sessions) {
    const key = `${s.provider.id}|${s.variantId}`;
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

/** `scenarios` (the run manifest's) give each session its required calls for trajectory recall; without them recall is NaN. */
export function summarise(sessions: readonly SessionRecord[], scenarios: readonly ScenarioManifest[] = []): GroupSummary[] {
  const scenarioOf = new Map(scenarios.map((s) => [s.id, s]));
  return [...groupSessions(sessions).values()].map((group) => {
    const first = group[0] as SessionRecord;
    const metrics = group.map((s) => sessionMetrics(s, scenarioOf.get(s.scenarioId)));
    const stat = (f: (xs: number[]) => number): Record<SummaryMetric, number> =>
      Object.fromEntries(SUMMARY_METRICS.map((m) => [m, f(metrics.map((x) => x[m]))])) as Record<SummaryMetric, number>;
    const count = (status: SessionRecord['status']): number => group.filter((s) => s.status === status).length;
    return {
      providerId: first.provider.id,
      providerKind: first.provider.kind,
      variantId: first.variantId,
      strategy: first.strategy,
      sessions: group.length,
      completed: count('completed'),
      failed: count('failed'),
      budgetExceeded: count('budget-exceeded'),
      errored: count('errored'),
      successRate: count('completed') / group.length,
      tokensEstimated: metrics.some((m) => m.tokensEstimated),
      mean: stat(mean),
      median: stat(median),
    };
  });
}
