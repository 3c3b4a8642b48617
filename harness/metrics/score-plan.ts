import { analyseDag, type TaskNode } from '../core/dag.js';
import { bfclEqual } from '../core/bfcl-match.js';
import { jsonEqual, sameItems } from '../core/match-args.js';
import { callLabel, parseRef, type Plan, type PlannedCall } from '../core/plan-format.js';
import type { PlanViolation } from '../core/run-file/records.js';

/** A node of the task graph, as the run file keeps it (core/dag.ts). */
export type DagNode = TaskNode;

/** A planned call whose dependencies do not all lie in earlier groups (the run file's type). */
export type { PlanViolation };

export interface PlanScore {
  groups: number;
  calls: number;
  /** Longest dependency chain of the DAG: the fewest groups a valid plan can have. */
  optimalDepth: number;
  extraGroups: number;
  /** Every group holds only calls whose dependencies lie in earlier groups. */
  valid: boolean;
  violations: PlanViolation[];
  /** DAG nodes no planned call stands for. */
  missingNodes: string[];
  /** Planned calls that stand for no DAG node. */
  extraCalls: number;
  /** DAG node of each planned call (null: none), by group. */
  nodes: (string | null)[][];
}

/**
 * Whether a planned call stands for a node: same tool, and each of the node's
 * arguments equal (or one of its accepted values, or a `$n` reference, whose
 * value is only known at run time).
 */
export function callFitsNode(call: PlannedCall, node: DagNode): boolean {
  if (call.tool !== node.tool) return false;
  // Values compare as the run compared the calls themselves (core/match-args.ts): lists of `unordered`
  // arguments in any order, strings the BFCL way under `match_mode: bfcl`.
  const same = node.match_mode === 'bfcl' ? bfclEqual : jsonEqual;
  const equal = (key: string, a: unknown, b: unknown): boolean => (node.unordered?.includes(key) === true ? sameItems(a, b) : same(a, b));
  const fits = (key: string, expected: unknown): boolean => {
    const accepted = node.accept?.[key];
    if (!Object.hasOwn(call.args, key)) return accepted?.includes('') ?? false;
    const v = call.args[key];
    return parseRef(v) !== undefined || equal(key, v, expected) || (accepted?.some((a) => same(v, a)) ?? false);
  };
  const keys = new Set([...Object.keys(node.args), ...Object.keys(node.accept ?? {})]);
  return [...keys].every((k) => fits(k, node.args[k]));
}

/** The DAG node of each planned call, in plan order; nodes not yet taken are preferred. */
export function matchPlanToDag(plan: Plan, dag: readonly DagNode[]): (string | null)[][] {
  const taken = new Set<string>();
  return plan.groups.map((group) =>
    group.map((call) => {
      const candidates = dag.filter((n) => callFitsNode(call, n));
      const node = candidates.find((n) => !taken.has(n.id)) ?? candidates[0];
      if (!node) return null;
      taken.add(node.id);
      return node.id;
    }),
  );
}

/** Scores a plan against the DAG: validity (and which calls violate it), groups versus the optimal depth, coverage. */
export function scorePlan(plan: Plan, dag: readonly DagNode[]): PlanScore {
  const nodes = matchPlanToDag(plan, dag);
  const byId = new Map(dag.map((n) => [n.id, n]));
  const firstGroup = new Map<string, number>();
  nodes.forEach((group, g) => {
    for (const id of group) if (id !== null && !firstGroup.has(id)) firstGroup.set(id, g);
  });
  const violations: PlanViolation[] = [];
  nodes.forEach((group, g) =>
    group.forEach((id, i) => {
      if (id === null) return;
      const needs = (byId.get(id)?.needs ?? []).filter((n) => (firstGroup.get(n) ?? Infinity) >= g);
      const call = plan.groups[g]?.[i];
      if (needs.length > 0 && call) violations.push({ group: g + 1, index: i + 1, call: callLabel(call), node: id, needs });
    }),
  );
  const optimalDepth = analyseDag(dag).optimalTurns - 1;
  const calls = plan.groups.reduce((n, g) => n + g.length, 0);
  return {
    groups: plan.groups.length,
    calls,
    optimalDepth,
    extraGroups: plan.groups.length - optimalDepth,
    valid: violations.length === 0,
    violations,
    missingNodes: dag.map((n) => n.id).filter((id) => !firstGroup.has(id)),
    extraCalls: nodes.flat().filter((id) => id === null).length,
    nodes,
  };
}
