import type { z } from 'zod';
import type { ToolOutcome } from '../../scenarios/mock-tools.js';
import type { SessionContext, StrategyOutcome } from '../session-context.js';
import { firstStop } from '../stop-rules.js';
import { budgetedOptionsSchema } from './option-schemas.js';
import { withoutTools } from './run-steps.js';
import type { Strategy } from './types.js';

export { budgetedOptionsSchema };

export type BudgetedOptions = z.output<typeof budgetedOptionsSchema>;

/** Appended to the system prompt of the last model call a budget allows. */
export const FINAL_ANSWER_INSTRUCTION =
  'You have reached the limit of model turns for this task. No more tools can be called: answer now with what you have.';

/** The tool error a call over the per-turn cap gets instead of running. */
export function overBudgetOutcome(index: number, asked: number, cap: number): ToolOutcome {
  return {
    content: `Error: not run: this response asked for ${asked} tool calls and at most ${cap} run per turn, so call ${index + 1} was refused. Ask for it again in your next turn.`,
    isError: true,
    errorKind: 'over-budget',
    latencyMs: 0,
  };
}

const TURN_BUDGET_SPENT: ToolOutcome = {
  content: 'Error: not run: the budget of model turns is spent and no more tools can be called.',
  isError: true,
  errorKind: 'over-budget',
  latencyMs: 0,
};

/**
 * The seed's BudgetedAgent: at most `max_turns` model calls (default 5) and
 * `max_tool_calls_per_turn` calls run per response (default 5).
 * - Calls past the per-turn cap are not run; each gets a tool error saying so
 *   (`errorKind: 'over-budget'`) and does not count as made.
 * - The `max_turns`-th model call may not use tools (`toolChoice: 'none'`, see `withoutTools`) and gets an
 *   instruction to answer; if it still asks for tools, those are refused and
 *   the session ends as `budget-exceeded`.
 */
async function runBudgeted(ctx: SessionContext, options: BudgetedOptions): Promise<StrategyOutcome> {
  const { max_turns: maxTurns, max_tool_calls_per_turn: cap } = options;
  ctx.extra.budget = { maxTurns, maxToolCallsPerTurn: cap };
  for (;;) {
    const last = ctx.turns.length + 1 >= maxTurns;
    const turn = last
      ? await ctx.callModel({ ...withoutTools(ctx), system: `${ctx.spec.variant.system}\n\n${FINAL_ANSWER_INSTRUCTION}`, phase: 'final' })
      : await ctx.callModel();
    const calls = ctx.callsOf(turn);
    if (calls.length === 0) return { kind: 'answered', finalAnswer: turn.text };
    if (last) {
      await ctx.executeCalls(turn, calls, () => ({ ...TURN_BUDGET_SPENT }));
      return { kind: 'stopped', reason: `reached the budget of ${maxTurns} model turns without a final answer`, finalAnswer: null };
    }
    await ctx.executeCalls(turn, calls, (_, i) => (i < cap ? undefined : overBudgetOutcome(i, calls.length, cap)));
    const reason = firstStop(ctx.spec.stopRules, ctx.turns);
    if (reason !== undefined) return { kind: 'stopped', reason, finalAnswer: null };
  }
}

export const budgetedStrategy: Strategy<typeof budgetedOptionsSchema> = { optionsSchema: budgetedOptionsSchema, run: runBudgeted };
