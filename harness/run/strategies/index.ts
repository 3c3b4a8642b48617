import type { Variant } from '../../scenarios/load-variants.js';
import type { SessionContext, StrategyOutcome } from '../session-context.js';
import { budgetedStrategy } from './budgeted.js';
import { chainStrategy } from './chain.js';
import { isStrategyName, optionProblems, unknownStrategy, type StrategyProblem } from './check-options.js';
import { hybridStrategy } from './hybrid.js';
import { loopStrategy } from './loop.js';
import type { StrategyName } from './option-schemas.js';
import { planExecuteStrategy } from './plan-execute.js';
import type { OptionsSchema, Strategy } from './types.js';

export { strategyIssues, strategyNames, type StrategyProblem } from './check-options.js';

/** One strategy of the registry, its options type hidden behind `bind`. */
export interface RegisteredStrategy {
  readonly optionsSchema: OptionsSchema;
  /** Parses `options` with the schema: the session's run with the typed value, or the problems. */
  bind(options: unknown): { run: (ctx: SessionContext) => Promise<StrategyOutcome> } | { problems: StrategyProblem[] };
}

/** The strategy's schema as the registry's parser: unknown keys are named with the known ones. */
function register<S extends OptionsSchema>(name: string, strategy: Strategy<S>): RegisteredStrategy {
  return {
    optionsSchema: strategy.optionsSchema,
    bind(options) {
      const parsed = strategy.optionsSchema.safeParse(options);
      if (parsed.success) return { run: (ctx) => strategy.run(ctx, parsed.data) };
      return { problems: optionProblems(name, Object.keys(strategy.optionsSchema.shape), parsed.error) };
    },
  };
}

/** Strategies by the name a variant file gives in `strategy:` (docs/strategies.md). */
export const strategies: Readonly<Record<StrategyName, RegisteredStrategy>> = {
  loop: register('loop', loopStrategy),
  budgeted: register('budgeted', budgetedStrategy),
  chain: register('chain', chainStrategy),
  hybrid: register('hybrid', hybridStrategy),
  'plan-execute': register('plan-execute', planExecuteStrategy),
};

/** A variant's strategy with its options parsed, ready to drive a session; or what is wrong with them. */
export function bindStrategy(variant: Pick<Variant, 'strategy' | 'strategyOptions'>): ReturnType<RegisteredStrategy['bind']> {
  if (!isStrategyName(variant.strategy)) return { problems: [unknownStrategy(variant.strategy)] };
  return strategies[variant.strategy].bind(variant.strategyOptions);
}
