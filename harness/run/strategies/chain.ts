import type { z } from 'zod';
import type { SessionContext, StrategyOutcome } from '../session-context.js';
import { runLoop } from './loop.js';
import { chainOptionsSchema } from './option-schemas.js';
import { renderHarnessResults, runSteps, synthesise } from './run-steps.js';
import type { Strategy } from './types.js';

export { chainOptionsSchema };

export type ChainOptions = z.output<typeof chainOptionsSchema>;

export const CHAIN_RESULTS_HEADING =
  'The harness has already run these tools for this task (you cannot call tools now). Use their results to answer the request above.';

/**
 * Runs the scenario's declared chain (`strategy_options.chain`, default the
 * first one) with no model round-trip, then one model call without tools
 * synthesises the answer from the results. A scenario with no chain runs the
 * plain loop instead (recorded in `extra.chain.fallback`).
 */
async function runChain(ctx: SessionContext, options: ChainOptions): Promise<StrategyOutcome> {
  const chains = ctx.spec.scenario.chains ?? {};
  const name = options.chain ?? Object.keys(chains)[0];
  const steps = name === undefined ? undefined : chains[name];
  if (name === undefined || !steps) {
    ctx.extra.chain = { fallback: 'loop', reason: name === undefined ? 'the scenario declares no chain' : `the scenario declares no chain "${name}"` };
    return runLoop(ctx);
  }
  const { reports, records } = await runSteps(ctx, 'chain', steps);
  ctx.extra.chain = { name, steps: reports };
  ctx.addUserText(renderHarnessResults(CHAIN_RESULTS_HEADING, records, reports));
  return synthesise(ctx);
}

export const chainStrategy: Strategy<typeof chainOptionsSchema> = { optionsSchema: chainOptionsSchema, run: runChain };
