import type { TaskNode } from './run-file/records.js';

/**
 * The task graph. Its one node type is `TaskNode` (`{ id, tool, args, accept?, needs }`,
 * the run file's, core/run-file/strategy-data.ts); a scenario's expected calls are
 * a superset of it. The analysis reads only ids and needs.
 */
export type { TaskNode };

/** The part of a task-graph node the analysis reads: its id and the ids it needs. */
export type GraphNode = Pick<TaskNode, 'id'> & { needs: readonly string[] };

/** What the dependency structure of a task allows at best. */
export interface DagAnalysis {
  /** Depth of each expected call: 1 for calls that need nothing, else 1 + the deepest need. */
  depth: Record<string, number>;
  /** Expected-call ids in a topological order (by depth, then file order). */
  order: string[];
  /** Number of calls at each depth: the widest batch possible in tool turn k is `widths[k-1]`. */
  widths: number[];
  /** Longest dependency chain of tool turns, plus one turn for the final answer. */
  optimalTurns: number;
}

/** Ids on a dependency cycle, or `undefined` when the graph is acyclic. */
export function findCycle(calls: readonly GraphNode[]): string[] | undefined {
  const needs = new Map(calls.map((c) => [c.id, c.needs]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const n of needs.get(id) ?? []) {
      if (!needs.has(n)) continue;
      const cycle = visit(n);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const c of calls) {
    const cycle = visit(c.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Analyses a set of expected calls (scenarios are checked acyclic with `findCycle` at load; a cycle in a run file's graph does not hang it). */
export function analyseDag(calls: readonly GraphNode[]): DagAnalysis {
  const byId = new Map(calls.map((c) => [c.id, c]));
  const depth: Record<string, number> = {};
  // A run file's graph is data from disk: a need on a call in progress (a cycle) counts as depth 0 instead of recursing for ever.
  const inProgress = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth[id];
    if (known !== undefined) return known;
    if (inProgress.has(id)) return 0;
    inProgress.add(id);
    const call = byId.get(id);
    const d = 1 + Math.max(0, ...(call?.needs ?? []).map(depthOf));
    inProgress.delete(id);
    depth[id] = d;
    return d;
  };
  calls.forEach((c) => depthOf(c.id));
  const index = new Map(calls.map((c, i) => [c.id, i]));
  const order = calls
    .map((c) => c.id)
    .sort((a, b) => (depth[a] ?? 0) - (depth[b] ?? 0) || (index.get(a) ?? 0) - (index.get(b) ?? 0));
  const maxDepth = Math.max(0, ...Object.values(depth));
  const widths = Array.from({ length: maxDepth }, (_, i) => order.filter((id) => depth[id] === i + 1).length);
  return { depth, order, widths, optimalTurns: maxDepth + 1 };
}
