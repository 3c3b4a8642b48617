import { z } from 'zod';
import { LIMITS } from '../../core/limits.js';
import { nameOption, wholeNumber } from './options.js';

/**
 * The `strategy_options` schema of every strategy, by the name a variant file
 * gives in `strategy:`, in the order messages list them. Kept apart from the
 * strategies' code so that checking a variant (`validate`, and every run
 * before it starts) loads no session machinery; index.ts pairs each schema
 * with its strategy.
 */

/** The loop takes no options. */
export const loopOptionsSchema = z.strictObject({});

/** `strategy_options` of `budgeted`: the budgets, with their defaults. */
export const budgetedOptionsSchema = z.strictObject({
  max_turns: wholeNumber(1, LIMITS.maxTurns, ' (see docs/limits.md)').default(5).describe('Model calls per session; the last may not use tools.'),
  max_tool_calls_per_turn: wholeNumber(1, LIMITS.toolCallsPerTurn, ' (see docs/limits.md)').default(5).describe('Tool calls run per response; the calls past it are refused with a tool error.'),
});

/** `strategy_options` of `chain`: which of the scenario's chains to run (default the first). */
export const chainOptionsSchema = z.strictObject({
  chain: nameOption().optional().describe("Which of the scenario's chains to run (default the first)."),
});

/** `hybrid` takes no options. */
export const hybridOptionsSchema = z.strictObject({});

/** `plan-execute` takes no options. */
export const planExecuteOptionsSchema = z.strictObject({});

export const STRATEGY_OPTIONS = {
  loop: loopOptionsSchema,
  budgeted: budgetedOptionsSchema,
  chain: chainOptionsSchema,
  hybrid: hybridOptionsSchema,
  'plan-execute': planExecuteOptionsSchema,
} as const;

export type StrategyName = keyof typeof STRATEGY_OPTIONS;
