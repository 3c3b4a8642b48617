import type { ChainCallRecord, StepReport } from '../../core/run-file/records.js';
import { resolveStepArgs, type ChainStep, type SourceLookup } from '../../scenarios/chain-steps.js';
import type { ModelTurnOptions, SessionContext, StrategyOutcome } from '../session-context.js';

/** What happened to one declared step (stored in `extra.chain` / `extra.hybrid`). */
export type { StepReport };

/**
 * Runs declared steps one after another with no model call: each step's
 * arguments are resolved from the task, earlier steps or `lookup` (e.g. the
 * model's gathered results), then the call runs as a chain call (one wave per
 * step). A step whose input cannot be computed is skipped, not run.
 */
export async function runSteps(
  ctx: SessionContext,
  source: ChainCallRecord['source'],
  steps: readonly ChainStep[],
  lookup: SourceLookup = (from) => ({ missing: `no source "${from}"` }),
): Promise<{ reports: StepReport[]; records: ChainCallRecord[] }> {
  const results = new Map<string, ChainCallRecord>();
  const reports: StepReport[] = [];
  const records: ChainCallRecord[] = [];
  let wave = 0;
  const find: SourceLookup = (from) => {
    if (from === 'task') return { text: ctx.spec.scenario.task };
    const earlier = results.get(from);
    if (earlier) return earlier.isError ? { missing: `step "${from}" failed` } : { text: earlier.result };
    if (reports.some((r) => r.id === from)) return { missing: `step "${from}" was skipped` };
    return lookup(from);
  };
  for (const step of steps) {
    const resolved = resolveStepArgs(step, find);
    if ('error' in resolved) {
      reports.push({ id: step.id, tool: step.tool, status: 'skipped', reason: resolved.error });
      continue;
    }
    wave += 1;
    const call = { type: 'tool-call' as const, id: `${source}_${step.id}`, name: step.tool, args: resolved.args, rawArgs: JSON.stringify(resolved.args) };
    const [record] = await ctx.executeChainCalls(source, wave, [{ step: step.id, call }]);
    if (!record) continue;
    results.set(step.id, record);
    records.push(record);
    reports.push({ id: step.id, tool: step.tool, status: record.isError ? 'error' : 'ok' });
  }
  return { reports, records };
}

/** Harness-made results as text for the model, one section per call. */
export function renderHarnessResults(heading: string, records: readonly ChainCallRecord[], skipped: readonly StepReport[] = []): string {
  const sections = records.map((r) => `### ${r.step}: ${r.name}(${r.rawArgs})${r.isError ? ' (failed)' : ''}\n${r.result}`);
  const notes = skipped.filter((s) => s.status === 'skipped').map((s) => `### ${s.id}: ${s.tool} (not run: ${s.reason ?? 'input unavailable'})`);
  return [heading, ...sections, ...notes].join('\n\n');
}

/**
 * Options of a model call that may not use tools: `toolChoice: 'none'`, and no
 * tool definitions unless the history already holds tool calls (the
 * Anthropic API rejects tool_use blocks in a request that defines no tools),
 * in which case the scenario's definitions stay and `none` forbids their use.
 */
export function withoutTools(ctx: SessionContext): ModelTurnOptions {
  const toolsInHistory = ctx.messages.some((m) => m.role === 'tool');
  return toolsInHistory ? { toolChoice: 'none' } : { tools: [], toolChoice: 'none' };
}

/** The synthesis turn: one model call without tools; its text is the answer. */
export async function synthesise(ctx: SessionContext): Promise<StrategyOutcome> {
  const turn = await ctx.callModel({ ...withoutTools(ctx), phase: 'synthesis' });
  if (ctx.callsOf(turn).length > 0) {
    return { kind: 'stopped', reason: 'the synthesis turn asked for tools instead of answering', finalAnswer: null };
  }
  return { kind: 'answered', finalAnswer: turn.text };
}
