/** The part of an expected call the graph reads: its id and the ids it needs. */
export interface GraphNode {
  id: string;
  needs: readonly string[];
}

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

/** Analyses an acyclic set of expected calls (validate with `findCycle` first). */
export function analyseDag(calls: readonly GraphNode[]): DagAnalysis {
  const byId = new Map(calls.map((c) => [c.id, c]));
  const depth: Record<string, number> = {};
  const depthOf = (id: string): number => {
    const known = depth[id];
    if (known !== undefined) return known;
    const call = byId.get(id);
    const d = 1 + Math.max(0, ...(call?.needs ?? []).map(depthOf));
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
