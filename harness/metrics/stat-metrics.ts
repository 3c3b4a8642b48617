import type { ScenarioManifest, SessionRecord } from '../core/run-file/records.js';
import { missedParallelism, type HarnessCall } from './missed-parallelism.js';
import { tokenCost, type ModelPrice } from './prices.js';
import { sessionMetrics, type SessionMetrics } from './session-metrics.js';
import { taskGraph } from './task-graph.js';

/** The waste and trajectory metrics (docs/metrics.md, "Waste and trajectory"), in report order. */
export const WASTE_METRICS = [
  'duplicateCalls',
  'unexpectedCalls',
  'failedCalls',
  'unrecoveredCalls',
  'wastedInputTokens',
  'trajectoryPrecision',
  'trajectoryRecall',
] as const;

/** Metrics summarised per variant with a mean, a median and a confidence interval, in report order. */
export const STAT_METRICS = [
  'turns',
  'overhead',
  'toolCalls',
  'avgToolsPerTurn',
  'batchingRate',
  'efficiencyScore',
  'missedParallelCalls',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cost',
  'virtualMs',
  'realMs',
  ...WASTE_METRICS,
] as const;

export type StatMetric = (typeof STAT_METRICS)[number];

/** Metrics compared against the baseline: the above plus success (1 or 0 per session). */
export const COMPARE_METRICS = [...STAT_METRICS, 'success'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

export type MetricUnit = 'count' | 'ratio' | 'tokens' | 'usd' | 'ms' | 'share';

export interface MetricInfo {
  label: string;
  unit: MetricUnit;
  /** Which direction is an improvement. */
  better: 'lower' | 'higher';
}

export const METRIC_INFO: Record<CompareMetric, MetricInfo> = {
  turns: { label: 'Turns (model round-trips)', unit: 'count', better: 'lower' },
  overhead: { label: 'Turn overhead (turns − optimal)', unit: 'count', better: 'lower' },
  toolCalls: { label: 'Tool calls', unit: 'count', better: 'lower' },
  avgToolsPerTurn: { label: 'Tools per tool-calling turn', unit: 'ratio', better: 'higher' },
  batchingRate: { label: 'Batching rate', unit: 'share', better: 'higher' },
  efficiencyScore: { label: 'Efficiency score', unit: 'ratio', better: 'higher' },
  missedParallelCalls: { label: 'Missed-parallel calls', unit: 'count', better: 'lower' },
  inputTokens: { label: 'Input tokens', unit: 'tokens', better: 'lower' },
  outputTokens: { label: 'Output tokens', unit: 'tokens', better: 'lower' },
  cachedInputTokens: { label: 'Cached input tokens', unit: 'tokens', better: 'higher' },
  cost: { label: 'Cost (USD)', unit: 'usd', better: 'lower' },
  virtualMs: { label: 'Virtual latency (ms)', unit: 'ms', better: 'lower' },
  realMs: { label: 'Real latency (ms)', unit: 'ms', better: 'lower' },
  success: { label: 'Success rate', unit: 'share', better: 'higher' },
  duplicateCalls: { label: 'Duplicate calls', unit: 'count', better: 'lower' },
  unexpectedCalls: { label: 'Unexpected calls', unit: 'count', better: 'lower' },
  failedCalls: { label: 'Failed calls', unit: 'count', better: 'lower' },
  unrecoveredCalls: { label: 'Unrecovered failed calls', unit: 'count', better: 'lower' },
  wastedInputTokens: { label: 'Wasted input tokens', unit: 'tokens', better: 'lower' },
  trajectoryPrecision: { label: 'Trajectory precision', unit: 'share', better: 'higher' },
  trajectoryRecall: { label: 'Trajectory recall', unit: 'share', better: 'higher' },
};

export type SessionFigures = Record<CompareMetric, number> & { tokensEstimated: boolean; batchSizes: number[] };

/**
 * Every per-session number the analysis uses. `dag` is the scenario's, from the manifest (an imported session
 * uses its inferred graph); `requiredCalls` its required expected calls (trajectory recall), every expected
 * call when not given.
 */
export function sessionFigures(
  session: SessionRecord,
  dag: ScenarioManifest['dag'],
  price: ModelPrice | undefined,
  requiredCalls?: readonly string[],
): SessionFigures {
  const m = sessionMetrics(session, { dag, requiredCalls: [...(requiredCalls ?? dag.map((n) => n.id))] });
  return figuresOf(session, m, missedParallelism(session.turns, taskGraph(session, dag), harnessCallsOf(session)).length, price);
}

/** The figures of a session whose metrics (`m`) and missed-parallel calls are already known. */
export function figuresOf(session: Pick<SessionRecord, 'turns'>, m: SessionMetrics, missedParallelCalls: number, price: ModelPrice | undefined): SessionFigures {
  return {
    turns: m.turns,
    overhead: m.overhead,
    toolCalls: m.toolCalls,
    avgToolsPerTurn: m.avgToolsPerTurn,
    batchingRate: m.batchingRate,
    efficiencyScore: m.efficiencyScore,
    missedParallelCalls,
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    cachedInputTokens: m.cachedInputTokens,
    cost: price ? tokenCost(m, price) : Number.NaN,
    virtualMs: m.virtualMs,
    realMs: m.realMs,
    success: m.success ? 1 : 0,
    duplicateCalls: m.duplicateCalls,
    unexpectedCalls: m.unexpectedCalls,
    failedCalls: m.failedCalls,
    unrecoveredCalls: m.unrecoveredCalls,
    wastedInputTokens: m.wastedInputTokens,
    trajectoryPrecision: m.trajectoryPrecision,
    trajectoryRecall: m.trajectoryRecall,
    tokensEstimated: m.tokensEstimated,
    batchSizes: session.turns.map((t) => t.calls.length),
  };
}

/** Calls the harness made between model turns (chain, hybrid and plan strategies), when the record has them. */
export function harnessCallsOf(session: SessionRecord): readonly HarnessCall[] {
  return (session as { chainCalls?: readonly HarnessCall[] }).chainCalls ?? [];
}
