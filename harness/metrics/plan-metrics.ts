import { isMeasured, type CallRecord, type PlanData, type RunManifest, type SessionRecord } from '../core/run-file/records.js';
import { parsePlan, type Plan, type PlannedCall } from '../core/plan-format.js';
import { scorePlan, type DagNode } from './score-plan.js';

/**
 * Plan metrics of one session, as stored in `extra.plan` by `plan-execute` and
 * as computed by `planMetrics` for a `json-plan` session of the plain loop:
 * the run file's `PlanData` (core/run-file/strategy-data.ts). Definitions: docs/strategies.md.
 */
export type PlanMetrics = PlanData;

/** Stable identity of a call: its DAG node, else tool and arguments. */
export function callKey(node: string | null, tool: string, args: Record<string, unknown> | undefined): string {
  return node ?? `${tool}|${stableJson(args ?? {})}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Did execution follow the plan? Execution steps (model turns, or waves of
 * plan-execute) that made at least one planned call are ranked 1, 2, ...; a
 * planned call is followed when its first execution falls in the step whose
 * rank equals its group number. adherence = followed / planned calls.
 */
export function adherence(plannedGroups: readonly (readonly string[])[], executedSteps: readonly (readonly string[])[]): { followed: number; planned: number; fraction: number } {
  const groupOf = new Map<string, number>();
  plannedGroups.forEach((g, i) => g.forEach((k) => groupOf.has(k) || groupOf.set(k, i + 1)));
  const rankOf = new Map<string, number>();
  let rank = 0;
  for (const step of executedSteps) {
    const fresh = step.filter((k) => groupOf.has(k) && !rankOf.has(k));
    if (fresh.length === 0) continue;
    rank += 1;
    for (const k of fresh) rankOf.set(k, rank);
  }
  let followed = 0;
  for (const [k, g] of groupOf) if (rankOf.get(k) === g) followed += 1;
  const planned = groupOf.size;
  return { followed, planned, fraction: planned === 0 ? 0 : followed / planned };
}

/** Scores `plan` against the DAG and the execution steps (lists of call keys). */
export function measurePlan(
  plan: Plan,
  dag: readonly DagNode[],
  executedSteps: readonly (readonly string[])[],
  source: PlanMetrics['source'],
): PlanMetrics {
  const score = scorePlan(plan, dag);
  const planned = score.nodes.map((g, gi) => g.map((node, ci) => {
    const call = plan.groups[gi]?.[ci] as PlannedCall;
    return callKey(node, call.tool, call.args);
  }));
  const a = adherence(planned, executedSteps);
  return {
    source,
    parsed: true,
    groups: score.groups,
    calls: score.calls,
    optimalDepth: score.optimalDepth,
    extraGroups: score.extraGroups,
    valid: score.valid,
    violations: score.violations,
    missingNodes: score.missingNodes,
    extraCalls: score.extraCalls,
    followed: a.followed,
    adherence: a.fraction,
    plan: { parallel_groups: plan.groups },
  };
}

/** Metrics of a plan that did not parse. */
export function unparsedPlan(error: string, dag: readonly DagNode[], source: PlanMetrics['source']): PlanMetrics {
  const score = scorePlan({ groups: [] }, dag);
  return {
    source,
    parsed: false,
    error,
    groups: 0,
    calls: 0,
    optimalDepth: score.optimalDepth,
    extraGroups: 0,
    valid: false,
    violations: [],
    missingNodes: score.missingNodes,
    extraCalls: 0,
    followed: null,
    adherence: null,
  };
}

const executed = (c: CallRecord): boolean => c.errorKind !== 'over-budget';

/**
 * Plan metrics of a session: what the strategy stored in `extra.plan`, else the
 * plan in the first turn's text scored against `dag`, with the model turns as
 * execution steps. Pure: reads the record and the DAG (from the run manifest).
 */
export function planMetrics(session: Pick<SessionRecord, 'turns' | 'extra'>, dag: readonly DagNode[]): PlanMetrics {
  const stored = session.extra?.plan;
  if (stored !== undefined) return stored;
  const first = session.turns[0];
  const parsed = parsePlan(first?.text ?? '');
  if (!parsed.ok) return unparsedPlan(parsed.error, dag, 'first-response');
  const steps = session.turns.map((t) => t.calls.filter(executed).map((c) => callKey(c.node, c.name, c.args)));
  return measurePlan(parsed.plan, dag, steps, 'first-response');
}

export interface PlanSummary {
  providerId: string;
  variantId: string;
  strategy: string;
  sessions: number;
  /** Sessions whose plan parsed. */
  parsed: number;
  parseRate: number;
  /** Of the parsed plans: valid ones, and the means of groups, extra groups and adherence. */
  validRate: number;
  meanGroups: number;
  meanExtraGroups: number;
  meanAdherence: number;
}

/** Plan metrics per provider and variant, in first-seen order; `dagOf` gives each scenario's DAG (e.g. from the manifest). */
export function summarisePlans(sessions: readonly SessionRecord[], dagOf: (scenarioId: string) => readonly DagNode[]): PlanSummary[] {
  const groups = new Map<string, { first: SessionRecord; metrics: PlanMetrics[] }>();
  for (const s of sessions) {
    const key = `${s.provider.id}|${s.variantId}`;
    const m = planMetrics(s, dagOf(s.scenarioId));
    const g = groups.get(key);
    if (g) g.metrics.push(m);
    else groups.set(key, { first: s, metrics: [m] });
  }
  const mean = (xs: number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  return [...groups.values()].map(({ first, metrics }) => {
    const ok = metrics.filter((m) => m.parsed);
    return {
      providerId: first.provider.id,
      variantId: first.variantId,
      strategy: first.strategy,
      sessions: metrics.length,
      parsed: ok.length,
      parseRate: ok.length / metrics.length,
      validRate: ok.length === 0 ? Number.NaN : ok.filter((m) => m.valid).length / ok.length,
      meanGroups: mean(ok.map((m) => m.groups)),
      meanExtraGroups: mean(ok.map((m) => m.extraGroups)),
      meanAdherence: mean(ok.map((m) => m.adherence ?? 0)),
    };
  });
}

/**
 * Plan metrics per provider and variant of a run, for the variants whose plans
 * are scored: those that ask for a JSON plan (`expects_plan`) or run
 * plan-execute. Empty when the run has none. Over measured sessions only: an
 * errored or skipped session has no plan to score (`sessions` counts the
 * measured ones).
 */
export function runPlanSummaries(manifest: Pick<RunManifest, 'variants' | 'scenarios'>, sessions: readonly SessionRecord[]): PlanSummary[] {
  const planned = new Set(manifest.variants.filter((v) => v.expectsPlan === true || v.strategy === 'plan-execute').map((v) => v.id));
  if (planned.size === 0) return [];
  const dags = new Map(manifest.scenarios.map((s) => [s.id, s.dag]));
  return summarisePlans(
    sessions.filter((s) => planned.has(s.variantId) && isMeasured(s)),
    (id) => dags.get(id) ?? [],
  );
}
