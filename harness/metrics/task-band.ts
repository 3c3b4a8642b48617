import type { ScenarioManifest, SessionRecord } from '../core/run-file/records.js';

/**
 * Batching judged against what the task allows. The task graph's levels
 * (a call's level = 1 + the highest level of the calls it needs) are what an
 * agent can batch at best: every call of a level with two or more calls can go
 * in one response, and `ref:optimal` does exactly that. So
 *
 *   batchable calls      = Σ widths of the levels with 2 or more calls
 *   batched of batchable = distinct expected calls made in a turn with ≥ 2 calls / batchable calls   (capped at 1)
 *
 * A task with nothing to batch (a chain, a single call) has no figure: n/a.
 */
export type TaskBand = 'excellent' | 'target' | 'below target' | 'poor' | 'n/a' | 'not measured';

export const TASK_BAND_RULE =
  'relative to the task: batched of batchable calls (from the task graph) >= 90% excellent, 60-90% target, 30-60% below target, < 30% poor; n/a where the task has nothing to batch. ' +
  'Mean over the measured sessions whose task has something to batch; ref:optimal scores 100% on every task.';

/** Calls of the task graph that can share a response with another: Σ widths of its levels with 2 or more calls. */
export function batchableCalls(dag: ScenarioManifest['dag']): number {
  // Every session of a task asks about the same graph (one object in the run manifest).
  const known = batchable.get(dag);
  if (known !== undefined) return known;
  const count = countBatchable(dag);
  batchable.set(dag, count);
  return count;
}

const batchable = new WeakMap<ScenarioManifest['dag'], number>();

function countBatchable(dag: ScenarioManifest['dag']): number {
  const level = new Map<string, number>();
  const byId = new Map(dag.map((n) => [n.id, n]));
  const levelOf = (id: string, seen: Set<string>): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    if (!node || seen.has(id)) return 0;
    seen.add(id);
    const l = 1 + Math.max(0, ...node.needs.map((n) => levelOf(n, seen)));
    level.set(id, l);
    return l;
  };
  const widths = new Map<number, number>();
  for (const n of dag) {
    const l = levelOf(n.id, new Set());
    widths.set(l, (widths.get(l) ?? 0) + 1);
  }
  return [...widths.values()].filter((w) => w >= 2).reduce((a, b) => a + b, 0);
}

/** A session's batched share of what its task allows (NaN when the task has nothing to batch). */
export function batchedOfBatchable(session: Pick<SessionRecord, 'turns'>, dag: ScenarioManifest['dag']): number {
  const batchable = batchableCalls(dag);
  if (batchable === 0) return Number.NaN;
  const batched = new Set<string>();
  for (const t of session.turns) {
    if (t.calls.length < 2) continue;
    for (const c of t.calls) if (c.node !== null) batched.add(c.node);
  }
  return Math.min(1, batched.size / batchable);
}

/** The band of a batched-of-batchable share (the figure printed beside it). */
export function taskBand(share: number): TaskBand {
  if (Number.isNaN(share)) return 'n/a';
  if (share >= 0.9) return 'excellent';
  if (share >= 0.6) return 'target';
  if (share >= 0.3) return 'below target';
  return 'poor';
}
