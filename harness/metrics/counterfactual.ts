import type { TurnRecord } from '../core/run-file/records.js';
import { tokenCost, type ModelPrice } from './prices.js';

/**
 * Counterfactual savings: what a session would have saved had each tool call
 * been issued in the earliest turn its inputs allowed (method: docs/metrics.md,
 * "Counterfactual savings"). A pure function of the recorded turns and a task
 * graph (the scenario's declared `dag`, or a graph inferred from a trace).
 *
 * Each call matched to a node gets a level: 1 for a node with no needs, else
 * one more than the highest level among the first successful calls of its
 * needs; a retry of a node whose earlier call failed comes one level after
 * that failure. The counterfactual session keeps, for each level, the first
 * recorded turn holding a call of that level (the other calls of the level
 * join it), every turn without tool calls (answers), and every turn holding a
 * call it cannot place (no node, or a need never met before it). Every other
 * tool turn is merged away: its round-trip, its input tokens (as recorded) and
 * its model latency are the savings. Output tokens are kept (the calls are still
 * written), tool time is kept (conservative).
 */
export interface Counterfactual {
  actualTurns: number;
  /** Turns of the counterfactual session. */
  turns: number;
  savedTurns: number;
  savedInputTokens: number;
  savedCachedInputTokens: number;
  /** Model latency of the merged-away turns (virtual clock). */
  savedLatencyMs: number;
  /** 1-based indices of the recorded turns the counterfactual session keeps. */
  keptTurns: number[];
}

type TurnView = Pick<TurnRecord, 'index' | 'calls' | 'usage' | 'virtual'>;

export function counterfactual(turns: readonly TurnView[], dag: readonly { id: string; needs: readonly string[] }[]): Counterfactual {
  const needs = new Map(dag.map((n) => [n.id, n.needs]));
  /** Level of each node's first successful call; level of its latest failed call. */
  const doneAt = new Map<string, number>();
  const failedAt = new Map<string, number>();
  const firstTurnOfLevel = new Map<number, number>();
  const kept = new Set<number>();
  /** Earliest level of a node's call: after its needs' results (an error is a result too when no call of the need succeeded) and after its own last failure. */
  const levelOf = (node: string): number | undefined => {
    const deps = needs.get(node);
    if (deps === undefined) return undefined;
    let level = 1;
    for (const d of deps) {
      const at = doneAt.get(d) ?? failedAt.get(d);
      if (at === undefined) return undefined;
      level = Math.max(level, at + 1);
    }
    const failed = failedAt.get(node);
    return failed === undefined ? level : Math.max(level, failed + 1);
  };
  for (const t of turns) {
    if (t.calls.length === 0) {
      kept.add(t.index);
      continue;
    }
    const placed = new Map<(typeof t.calls)[number], number>();
    for (const c of t.calls) {
      const level = c.node === null || doneAt.has(c.node) ? undefined : levelOf(c.node);
      if (level === undefined) {
        kept.add(t.index);
        continue;
      }
      placed.set(c, level);
      if (!firstTurnOfLevel.has(level)) firstTurnOfLevel.set(level, t.index);
    }
    // Results become known after the turn: record them once the whole batch is placed.
    for (const [c, level] of placed) {
      if (c.node === null) continue;
      if (c.isError) failedAt.set(c.node, level);
      else doneAt.set(c.node, level);
    }
  }
  for (const turn of firstTurnOfLevel.values()) kept.add(turn);
  let savedInputTokens = 0;
  let savedCachedInputTokens = 0;
  let savedLatencyMs = 0;
  for (const t of turns) {
    if (kept.has(t.index)) continue;
    savedInputTokens += t.usage.inputTokens;
    savedCachedInputTokens += t.usage.cachedInputTokens;
    savedLatencyMs += t.virtual.modelMs;
  }
  const keptTurns = [...kept].sort((a, b) => a - b);
  return { actualTurns: turns.length, turns: keptTurns.length, savedTurns: turns.length - keptTurns.length, savedInputTokens, savedCachedInputTokens, savedLatencyMs, keptTurns };
}

/** Cost in USD of the saved input tokens at `price` (output is not saved). */
export function counterfactualCost(c: Pick<Counterfactual, 'savedInputTokens' | 'savedCachedInputTokens'>, price: ModelPrice): number {
  return tokenCost({ inputTokens: c.savedInputTokens, cachedInputTokens: c.savedCachedInputTokens, outputTokens: 0 }, price);
}
