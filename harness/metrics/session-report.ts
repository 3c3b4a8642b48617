import type { ScenarioManifest, SessionRecord } from '../core/run-file/records.js';
import { sessionSavings, type SessionSavings } from './counterfactual-run.js';
import { missedParallelism, type MissedCall } from './missed-parallelism.js';
import type { ModelPrice } from './prices.js';
import { sessionMetrics, type SessionMetrics } from './session-metrics.js';
import { figuresOf, harnessCallsOf, type SessionFigures } from './stat-metrics.js';
import { batchedOfBatchable } from './task-band.js';
import { taskGraph } from './task-graph.js';
import { markCalls, orderedCalls, wasteFiguresOf, type CallMark, type OrderedCall } from './waste.js';

/** What the waste figures say about one model call, as the drill-down marks it. */
export interface CallWaste {
  turn: number;
  callId: string;
  /** Turn (or, for a harness call, the turn it came before) of the earlier successful call this one repeats. */
  duplicateOfTurn: number | undefined;
  unexpected: boolean;
  recovered: boolean;
}

/** Everything the reports show of one session, computed once. */
export interface SessionReport {
  /** sessions.csv and summary.csv: trajectory recall against the manifest's scenario, NaN when the manifest lacks it. */
  metrics: SessionMetrics;
  /** What every statistic and comparison rests on (an errored or skipped session's figures enter none). */
  figures: SessionFigures;
  /** Calls that could have joined an earlier turn's batch (`figures.missedParallelCalls` counts them). */
  missed: MissedCall[];
  /** Batched share of what the task allows (task-band.ts); NaN when the task has nothing to batch. */
  batchedOfBatchable: number;
  /** Counterfactual savings; undefined when the session is not measured. */
  savings: SessionSavings | undefined;
  /** The waste marks of the model calls, kept for the sessions the drill-down shows (undefined for the others). */
  waste?: CallWaste[];
}

function callWaste(calls: readonly OrderedCall[], marks: readonly CallMark[]): CallWaste[] {
  const out: CallWaste[] = [];
  calls.forEach((c, i) => {
    const m = marks[i];
    if (c.harness || !m) return;
    const duplicateOfTurn = m.duplicateOf === undefined ? undefined : calls[m.duplicateOf]?.turn;
    out.push({ turn: c.turn, callId: c.call.id, duplicateOfTurn, unexpected: m.unexpected, recovered: m.recovered });
  });
  return out;
}

/**
 * The figures of one session. `scenario` is the run manifest's entry (its `dag` and required calls; an imported
 * session uses its inferred graph), `price` the price of its provider; `keepWaste` keeps the marks of every call.
 */
export function analyseSession(session: SessionRecord, scenario: ScenarioManifest | undefined, price: ModelPrice | undefined, keepWaste = false): SessionReport {
  const dag = scenario?.dag ?? [];
  const calls = orderedCalls(session);
  const marks = markCalls(calls);
  const metrics = sessionMetrics(session, scenario, wasteFiguresOf(session, calls, marks));
  const graph = taskGraph(session, dag);
  const missed = missedParallelism(session.turns, graph, harnessCallsOf(session));
  const figures = figuresOf(session, metrics, missed.length, price);
  return {
    metrics,
    // The statistics judge a session whose scenario the manifest lacks against no required call: recall 1.
    figures: scenario === undefined ? { ...figures, trajectoryRecall: 1 } : figures,
    missed,
    batchedOfBatchable: batchedOfBatchable(session, graph),
    savings: sessionSavings(session, dag, price),
    ...(keepWaste ? { waste: callWaste(calls, marks) } : {}),
  };
}
