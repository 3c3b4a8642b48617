import type { SessionContext, StrategyOutcome } from '../session-context.js';
import { firstStop } from '../stop-rules.js';
import type { Strategy } from './types.js';
import { loopOptionsSchema } from './option-schemas.js';

export { loopOptionsSchema };

/**
 * The plain agent loop: call the model; run every tool call of the response
 * concurrently; repeat until the model answers without tool calls or a stop rule fires.
 * The other strategies fall back to it.
 */
export async function runLoop(ctx: SessionContext): Promise<StrategyOutcome> {
  for (;;) {
    const turn = await ctx.callModel();
    const calls = ctx.callsOf(turn);
    if (calls.length === 0) return { kind: 'answered', finalAnswer: turn.text };
    await ctx.executeCalls(turn, calls);
    const reason = firstStop(ctx.spec.stopRules, ctx.turns);
    if (reason !== undefined) return { kind: 'stopped', reason, finalAnswer: null };
  }
}

export const loopStrategy: Strategy<typeof loopOptionsSchema> = { optionsSchema: loopOptionsSchema, run: runLoop };
