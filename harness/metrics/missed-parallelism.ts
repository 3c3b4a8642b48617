import type { ScenarioManifest, TurnRecord } from '../core/run-file/records.js';

/** A call made later than the calls before it allowed. */
export interface MissedCall {
  /** 1-based turn index the call was made in. */
  turn: number;
  callId: string;
  tool: string;
  node: string;
  /** The earliest earlier turn it could have joined. */
  earliestTurn: number;
}

/** A tool call the harness made between model turns (chain strategies): it satisfies needs, it is never late. */
export interface HarnessCall {
  node: string | null;
  isError: boolean;
  /** Index of the model turn that followed the call. */
  beforeTurn: number;
}

/**
 * Missed parallelism: calls that, given the task's dependency structure and the
 * calls made so far, could have gone in an earlier turn's batch.
 *
 * A DAG node's result is available from the turn after the first turn that
 * called it without error. A call to node n in turn k is missed when some
 * earlier turn j < k already had every need of n available AND made at least
 * one tool call (so n could simply have joined that batch; a turn that made no
 * call, such as a planning turn with tools disabled, does not count). Calls
 * that matched no node, retries of a node already attempted, and calls whose
 * needs were never met are not counted: they are wasted, recovery or premature,
 * not late.
 *
 * Sequential run of a 4-way fan-out (one call per turn): calls of turns 2, 3
 * and 4 could all have gone in turn 1, so 3 are missed.
 */
export function missedParallelism(
  turns: readonly Pick<TurnRecord, 'index' | 'calls'>[],
  dag: ScenarioManifest['dag'],
  harnessCalls: readonly HarnessCall[] = [],
): MissedCall[] {
  const needs = new Map(dag.map((n) => [n.id, n.needs]));
  const doneIn = new Map<string, number>();
  // A call the harness made before turn b is available in turn b, as if done in turn b - 1.
  for (const c of harnessCalls) {
    if (c.node !== null && !c.isError) doneIn.set(c.node, Math.min(doneIn.get(c.node) ?? Number.POSITIVE_INFINITY, c.beforeTurn - 1));
  }
  for (const t of turns) {
    for (const c of t.calls) {
      if (c.node !== null && !c.isError) doneIn.set(c.node, Math.min(doneIn.get(c.node) ?? Number.POSITIVE_INFINITY, t.index));
    }
  }
  const toolTurns = turns.filter((t) => t.calls.length > 0).map((t) => t.index);
  const missed: MissedCall[] = [];
  const attempted = new Set<string>();
  for (const t of turns) {
    for (const c of t.calls) {
      if (c.node === null || attempted.has(c.node)) continue;
      attempted.add(c.node);
      const deps = needs.get(c.node);
      if (deps === undefined) continue;
      let readyAt = 1;
      let known = true;
      for (const d of deps) {
        const at = doneIn.get(d);
        if (at === undefined || at >= t.index) {
          known = false;
          break;
        }
        readyAt = Math.max(readyAt, at + 1);
      }
      if (!known) continue;
      const earliest = toolTurns.find((j) => j >= readyAt);
      if (earliest !== undefined && earliest < t.index) {
        missed.push({ turn: t.index, callId: c.id, tool: c.name, node: c.node, earliestTurn: earliest });
      }
    }
  }
  return missed;
}
