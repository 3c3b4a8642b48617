import type { SourceLookup } from '../../scenarios/chain-steps.js';
import type { SessionContext, StrategyOutcome } from '../session-context.js';
import { firstStop } from '../stop-rules.js';
import { runLoop } from './loop.js';
import { renderHarnessResults, runSteps, synthesise } from './run-steps.js';
import type { Strategy } from './types.js';
import { hybridOptionsSchema } from './option-schemas.js';

/** `hybrid` takes no options: its steps are the scenario's. */
export { hybridOptionsSchema };

/** Appended to the system prompt of the gather turn. */
export const GATHER_INSTRUCTION =
  'Gather everything this task needs now: request every lookup you can make in this one response, all together. ' +
  'You will not get another turn for tools; the results, and any follow-up lookups the harness makes from them, come back to you before you answer.';

export const HYBRID_RESULTS_HEADING = 'From your results the harness made these follow-up calls (you cannot call tools now). Answer the request using everything above.';

/**
 * Batch-then-chain: one model turn gathers (the model batches its calls), the
 * scenario's `hybrid` steps run deterministically on the results (no model
 * call), and one synthesis turn without tools answers. A gather turn with no
 * tool calls is the answer. A scenario without `hybrid` runs the plain loop.
 */
async function runHybrid(ctx: SessionContext): Promise<StrategyOutcome> {
  const spec = ctx.spec.scenario.hybrid;
  if (!spec) {
    ctx.extra.hybrid = { fallback: 'loop', reason: 'the scenario declares no hybrid steps' };
    return runLoop(ctx);
  }
  const gather = await ctx.callModel({ system: `${ctx.spec.variant.system}\n\n${GATHER_INSTRUCTION}`, phase: 'gather' });
  const calls = ctx.callsOf(gather);
  if (calls.length === 0) return { kind: 'answered', finalAnswer: gather.text };
  await ctx.executeCalls(gather, calls);
  const stop = firstStop(ctx.spec.stopRules, ctx.turns);
  if (stop !== undefined) return { kind: 'stopped', reason: stop, finalAnswer: null };
  const gathered: SourceLookup = (from) => {
    const call = gather.calls.find((c) => c.node === from && !c.isError);
    return call ? { text: call.result } : { missing: `the gather turn did not get "${from}"` };
  };
  const { reports, records } = await runSteps(ctx, 'hybrid', spec.steps, gathered);
  ctx.extra.hybrid = { gathered: calls.length, steps: reports };
  ctx.addUserText(renderHarnessResults(HYBRID_RESULTS_HEADING, records, reports));
  return synthesise(ctx);
}

export const hybridStrategy: Strategy<typeof hybridOptionsSchema> = { optionsSchema: hybridOptionsSchema, run: runHybrid };
