import type { SessionContext, StrategyOutcome } from '../session-context.js';

/** A strategy drives one session through the context's `callModel` / `executeCalls`. */
export type Strategy = (ctx: SessionContext, options: Record<string, unknown>) => Promise<StrategyOutcome>;
