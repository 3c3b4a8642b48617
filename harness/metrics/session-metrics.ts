import type { ScenarioManifest, SessionRecord, TurnRecord } from '../core/run-file/records.js';
import { trajectoryFigures } from '../core/trajectory.js';
import { wasteFigures, type WasteFigures } from './waste.js';

/** Per-session metrics, computed from the recorded turns alone. Definitions: docs/metrics.md. */
export interface SessionMetrics extends WasteFigures {
  turns: number;
  toolTurns: number;
  toolCalls: number;
  /** Calls the harness made between model turns (chain, hybrid, plan-execute); part of `toolCalls`, not of batching. */
  chainCalls: number;
  parallelCalls: number;
  sequentialCalls: number;
  avgToolsPerTurn: number;
  batchingRate: number;
  efficiencyScore: number;
  maxBatch: number;
  toolErrors: number;
  unknownToolCalls: number;
  unmatchedCalls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  totalTokens: number;
  tokensEstimated: boolean;
  success: boolean;
  optimalTurns: number;
  overhead: number;
  virtualMs: number;
  realMs: number;
  /** Distinct expected calls made / calls made (docs/metrics.md, "Trajectory"). */
  trajectoryPrecision: number;
  /** Required expected calls made / required; NaN when the scenario is not given. */
  trajectoryRecall: number;
}

/** The expected calls a session is judged against: the run manifest's scenario entry. */
export type ScenarioExpectations = Pick<ScenarioManifest, 'dag' | 'requiredCalls'>;

/** Ids of the scenario's required expected calls (every expected call in runs written before `requiredCalls` was recorded). */
export const requiredCallsOf = (scenario: ScenarioExpectations): string[] => scenario.requiredCalls ?? scenario.dag.map((n) => n.id);

export interface TokenCurvePoint {
  turn: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cumulativeInputTokens: number;
  cumulativeOutputTokens: number;
}

export function batchingFigures(batchSizes: readonly number[]): Pick<
  SessionMetrics,
  'toolTurns' | 'toolCalls' | 'parallelCalls' | 'sequentialCalls' | 'avgToolsPerTurn' | 'batchingRate' | 'efficiencyScore' | 'maxBatch'
> {
  let toolTurns = 0;
  let toolCalls = 0;
  let parallelCalls = 0;
  let maxBatch = 0;
  for (const n of batchSizes) {
    if (n === 0) continue;
    toolTurns += 1;
    toolCalls += n;
    if (n >= 2) parallelCalls += n;
    maxBatch = Math.max(maxBatch, n);
  }
  const avgToolsPerTurn = toolTurns === 0 ? 0 : toolCalls / toolTurns;
  const batchingRate = toolCalls === 0 ? 0 : parallelCalls / toolCalls;
  return {
    toolTurns,
    toolCalls,
    parallelCalls,
    sequentialCalls: toolCalls - parallelCalls,
    avgToolsPerTurn,
    batchingRate,
    efficiencyScore: avgToolsPerTurn * batchingRate,
    maxBatch,
  };
}

/** The metrics of one session; `waste` when its waste figures are already known (`wasteFiguresOf`). */
export function sessionMetrics(session: SessionRecord, scenario?: ScenarioExpectations, waste: WasteFigures = wasteFigures(session)): SessionMetrics {
  const turns = session.turns;
  const chainCalls = session.chainCalls ?? [];
  const calls = [...turns.flatMap((t) => t.calls), ...chainCalls];
  const batching = batchingFigures(turns.map((t) => t.calls.length));
  const sum = (f: (t: TurnRecord) => number): number => turns.reduce((acc, t) => acc + f(t), 0);
  const inputTokens = sum((t) => t.usage.inputTokens);
  const outputTokens = sum((t) => t.usage.outputTokens);
  const trajectory = trajectoryFigures(session, scenario ? requiredCallsOf(scenario) : []);
  return {
    turns: turns.length,
    ...batching,
    toolCalls: batching.toolCalls + chainCalls.length,
    chainCalls: chainCalls.length,
    toolErrors: calls.filter((c) => c.isError).length,
    unknownToolCalls: calls.filter((c) => c.errorKind === 'unknown-tool').length,
    unmatchedCalls: calls.filter((c) => c.node === null).length,
    inputTokens,
    outputTokens,
    cachedInputTokens: sum((t) => t.usage.cachedInputTokens),
    totalTokens: inputTokens + outputTokens,
    tokensEstimated: turns.some((t) => t.usage.estimated),
    success: session.status === 'completed',
    optimalTurns: session.optimalTurns,
    overhead: turns.length - session.optimalTurns,
    virtualMs: session.virtualMs,
    realMs: session.realMs,
    ...waste,
    trajectoryPrecision: trajectory.precision,
    trajectoryRecall: scenario ? trajectory.recall : Number.NaN,
  };
}

/** Per-turn and cumulative tokens: how the re-sent history makes each turn dearer. */
export function tokenCurve(session: Pick<SessionRecord, 'turns'>): TokenCurvePoint[] {
  let cumIn = 0;
  let cumOut = 0;
  return session.turns.map((t) => {
    cumIn += t.usage.inputTokens;
    cumOut += t.usage.outputTokens;
    return {
      turn: t.index,
      inputTokens: t.usage.inputTokens,
      outputTokens: t.usage.outputTokens,
      cachedInputTokens: t.usage.cachedInputTokens,
      cumulativeInputTokens: cumIn,
      cumulativeOutputTokens: cumOut,
    };
  });
}
