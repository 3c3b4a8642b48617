import { parsePlan, parseRef, type ParamNames, type Plan, type PlannedCall } from '../../core/plan-format.js';
import { callKey, measurePlan, unparsedPlan, type PlanMetrics } from '../../metrics/plan-metrics.js';
import { matchPlanToDag, type DagNode } from '../../metrics/score-plan.js';
import type { ChainCallRecord } from '../../core/run-file/records.js';
import { pickPath } from '../../scenarios/chain-steps.js';
import type { SessionContext, StrategyOutcome } from '../session-context.js';
import { runLoop } from './loop.js';
import { renderHarnessResults, synthesise } from './run-steps.js';
import type { Strategy } from './types.js';
import { planExecuteOptionsSchema } from './option-schemas.js';

export { planExecuteOptionsSchema };

/** Appended to the system prompt of the plan (and replan) turn. */
export const PLAN_INSTRUCTION = [
  'Do not call any tool yet. First write the plan of every tool call this task needs, as JSON:',
  '{"parallel_groups": [["tool_name(arg=value, ...)", ...], ...]}',
  'Groups run one after another; the calls of one group run at the same time, so they must not depend on each other.',
  'Where an argument comes from an earlier result, write "$n.field": the field of the result of the n-th call of the plan (counting from 1 across all groups).',
  'Reply with the plan only. The harness runs it and gives you the results before you answer.',
].join('\n');

/** Sent when plan-execute gives up on plans and continues as the plain loop. */
export const CARRY_ON = 'Your plan could not be read. Carry on with the task: call the tools you need, then answer.';

/** One planned call during execution. */
interface Step {
  /** 1-based position in the plan. */
  index: number;
  call: PlannedCall;
  node: string | null;
}

interface Execution {
  /** Waves of plan positions, in execution order. */
  waves: number[][];
  records: ChainCallRecord[];
  failures: string[];
}

export function dagOf(ctx: SessionContext): DagNode[] {
  return ctx.spec.scenario.expectedCalls.map((c) => ({ id: c.id, tool: c.tool, args: c.args, needs: c.needs, ...(c.accept ? { accept: c.accept } : {}) }));
}

function paramNames(ctx: SessionContext): ParamNames {
  return new Map(
    ctx.spec.scenario.tools.map((t) => {
      const p = t.definition.parameters as { properties?: Record<string, unknown>; required?: string[] };
      const required = p.required ?? [];
      return [t.definition.name, [...required, ...Object.keys(p.properties ?? {}).filter((k) => !required.includes(k))]];
    }),
  );
}

/** Replaces `$n` / `$n.path` argument values with results of earlier plan calls; undefined when one cannot be resolved. */
function resolveArgs(args: Record<string, unknown>, results: ReadonlyMap<number, ChainCallRecord>): { args: Record<string, unknown> } | { error: string } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    const ref = parseRef(value);
    if (!ref) {
      out[key] = value;
      continue;
    }
    const record = results.get(ref.index);
    if (!record) return { error: `${key}: call ${ref.index} has no result` };
    if (ref.path === undefined) {
      out[key] = record.result;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(record.result);
    } catch {
      return { error: `${key}: the result of call ${ref.index} is not JSON` };
    }
    const picked = pickPath(parsed, ref.path);
    if (picked === undefined) return { error: `${key}: the result of call ${ref.index} has nothing at "${ref.path}"` };
    out[key] = picked;
  }
  return { args: out };
}

/**
 * Runs a plan with maximal parallelism under the DAG: each wave runs every
 * pending call whose `$n` references have results and whose DAG needs, where
 * the plan makes them, are done. Calls that fail, or wait on a failed call,
 * are reported as failures. No model call happens in between.
 */
async function executePlan(ctx: SessionContext, plan: Plan, dag: readonly DagNode[], firstWave: number): Promise<Execution> {
  const nodes = matchPlanToDag(plan, dag);
  const steps: Step[] = plan.groups.flatMap((g, gi) => g.map((call, ci) => ({ call, node: nodes[gi]?.[ci] ?? null, index: 0 })));
  steps.forEach((s, i) => (s.index = i + 1));
  const needsOf = new Map(dag.map((n) => [n.id, n.needs]));
  const results = new Map<number, ChainCallRecord>();
  const failed = new Set<number>();
  const failures: string[] = [];
  const waves: number[][] = [];
  const records: ChainCallRecord[] = [];
  let pending = [...steps];
  const fail = (s: Step, why: string): void => {
    failed.add(s.index);
    failures.push(`call ${s.index} ${s.call.tool}: ${why}`);
  };
  while (pending.length > 0) {
    const ready: Step[] = [];
    for (const s of pending) {
      const refs = Object.values(s.call.args).flatMap((v) => parseRef(v)?.index ?? []);
      const makers = (s.node ? (needsOf.get(s.node) ?? []) : []).flatMap((need) => (ctx.done.has(need) ? [] : steps.filter((o) => o.node === need && o.index !== s.index)));
      const waitsOn = [...refs, ...makers.map((m) => m.index)];
      const badRef = refs.find((r) => r < 1 || r > steps.length || r === s.index);
      if (badRef !== undefined) fail(s, `refers to $${badRef}, which is not another call of the plan`);
      else if (waitsOn.some((i) => failed.has(i))) fail(s, `waits on call ${waitsOn.filter((i) => failed.has(i)).join(', ')}, which failed`);
      else if (waitsOn.every((i) => results.has(i))) ready.push(s);
    }
    pending = pending.filter((s) => !failed.has(s.index) && !ready.includes(s));
    if (ready.length === 0) {
      for (const s of pending) fail(s, 'its references form a cycle');
      break;
    }
    const runnable: { step: Step; args: Record<string, unknown> }[] = [];
    for (const s of ready) {
      const r = resolveArgs(s.call.args, results);
      if ('error' in r) fail(s, r.error);
      else runnable.push({ step: s, args: r.args });
    }
    if (runnable.length === 0) continue;
    const wave = firstWave + waves.length;
    const done = await ctx.executeChainCalls(
      'plan',
      wave,
      runnable.map(({ step, args }) => ({ step: String(step.index), call: { type: 'tool-call', id: `plan_${wave}_${step.index}`, name: step.call.tool, args, rawArgs: JSON.stringify(args) } })),
    );
    waves.push(runnable.map((r) => r.step.index));
    done.forEach((record, i) => {
      const step = runnable[i]?.step as Step;
      records.push(record);
      if (record.isError) fail(step, record.result);
      else results.set(step.index, record);
    });
  }
  return { waves, records, failures };
}

async function askForPlan(ctx: SessionContext, phase: 'plan' | 'replan'): Promise<{ text: string; calledTools: boolean }> {
  const turn = await ctx.callModel({ toolChoice: 'none', system: `${ctx.spec.variant.system}\n\n${PLAN_INSTRUCTION}`, phase });
  const calls = ctx.callsOf(turn);
  if (calls.length > 0) await ctx.executeCalls(turn, calls);
  return { text: turn.text, calledTools: calls.length > 0 };
}

/**
 * Plan-and-execute (LLMCompiler-like): the model writes a JSON plan in one
 * turn without tools; the harness runs it with maximal parallelism under the
 * DAG; on a failed step (or a plan that does not parse) the model replans
 * once; one synthesis turn without tools answers. If the model calls tools
 * instead of planning, or never gives a readable plan, the session continues
 * as the plain loop. Plan metrics go to `extra.plan`.
 */
async function runPlanExecute(ctx: SessionContext): Promise<StrategyOutcome> {
  const dag = dagOf(ctx);
  const params = paramNames(ctx);
  let replansLeft = 1;
  let asked = await askForPlan(ctx, 'plan');
  let parsed = parsePlan(asked.text, params);
  let unparsedPlans = 0;
  while (!asked.calledTools && !parsed.ok && replansLeft > 0) {
    unparsedPlans += 1;
    replansLeft -= 1;
    ctx.addUserText(`Your plan could not be read: ${parsed.error}. Write it again in the format asked for.`);
    asked = await askForPlan(ctx, 'replan');
    parsed = parsePlan(asked.text, params);
  }
  if (asked.calledTools || !parsed.ok) {
    const error = asked.calledTools || parsed.ok ? 'the model called tools instead of writing a plan' : parsed.error;
    ctx.extra.plan = { ...unparsedPlan(error, dag, 'plan-turn'), replanned: replansLeft === 0, unparsedPlans: unparsedPlans + (asked.calledTools ? 0 : 1) };
    // The history must not end on the model's own text (some APIs would continue it).
    if (!asked.calledTools) ctx.addUserText(CARRY_ON);
    return runLoop(ctx);
  }
  const first = await executePlan(ctx, parsed.plan, dag, 1);
  const keys = planKeys(parsed.plan, dag);
  const metrics: PlanMetrics = measurePlan(parsed.plan, dag, first.waves.map((w) => w.map((i) => keys[i - 1] ?? `#${i}`)), 'plan-turn');
  if (unparsedPlans > 0) metrics.unparsedPlans = unparsedPlans;
  let records = first.records;
  if (first.failures.length > 0 && replansLeft > 0) {
    replansLeft -= 1;
    ctx.addUserText(
      `${renderHarnessResults('Results of your plan so far:', first.records)}\n\nThese steps failed:\n${first.failures.map((f) => `- ${f}`).join('\n')}\n\n` +
        'Write a new plan, in the same format, for what is still needed ($n now counts the calls of the new plan).',
    );
    const again = await askForPlan(ctx, 'replan');
    const second = again.calledTools ? undefined : parsePlan(again.text, params);
    if (again.calledTools || !second?.ok) {
      ctx.extra.plan = { ...metrics, replanned: true };
      if (again.calledTools) return runLoop(ctx);
      ctx.addUserText('Your new plan could not be read, so it was not run. Answer the request with the results above.');
      return synthesise(ctx);
    }
    records = (await executePlan(ctx, second.plan, dag, first.waves.length + 1)).records;
  }
  ctx.extra.plan = { ...metrics, replanned: replansLeft === 0 };
  ctx.addUserText(renderHarnessResults('The harness ran your plan; here are the results (you cannot call tools now). Answer the request using them.', records));
  return synthesise(ctx);
}

export const planExecuteStrategy: Strategy<typeof planExecuteOptionsSchema> = { optionsSchema: planExecuteOptionsSchema, run: runPlanExecute };

function planKeys(plan: Plan, dag: readonly DagNode[]): string[] {
  const nodes = matchPlanToDag(plan, dag);
  return plan.groups.flatMap((g, gi) => g.map((c, ci) => callKey(nodes[gi]?.[ci] ?? null, c.tool, c.args)));
}
