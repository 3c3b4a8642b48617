import type { z } from 'zod';
import type { SessionContext, StrategyOutcome } from '../session-context.js';

/** The schema of a strategy's `strategy_options`: an object that refuses unknown keys. */
export type OptionsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/**
 * A strategy drives one session through the context's `callModel` / `executeCalls`.
 * `optionsSchema` checks a variant's `strategy_options` when the variant loads;
 * `run` gets the parsed value (defaults filled in) and does not check it again.
 */
export interface Strategy<S extends OptionsSchema> {
  readonly optionsSchema: S;
  run(ctx: SessionContext, options: z.output<S>): Promise<StrategyOutcome>;
}
