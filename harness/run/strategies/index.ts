import type { z } from 'zod';
import type { InputIssue } from '../../core/errors.js';
import { displayPath } from '../../core/input-files.js';
import type { Variant } from '../../scenarios/load-variants.js';
import type { SessionContext, StrategyOutcome } from '../session-context.js';
import { budgetedStrategy } from './budgeted.js';
import { chainStrategy } from './chain.js';
import { hybridStrategy } from './hybrid.js';
import { loopStrategy } from './loop.js';
import { planExecuteStrategy } from './plan-execute.js';
import type { OptionsSchema, Strategy } from './types.js';

/** A problem with a variant's `strategy` or `strategy_options`, located by the field path in the variant's front matter. */
export interface StrategyProblem {
  /** `strategy`, or `strategy_options` and the path of the option, e.g. `strategy_options.max_turns`. */
  path: string;
  message: string;
}

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

function optionProblems(name: string, known: readonly string[], error: z.ZodError): StrategyProblem[] {
  const takes = known.length === 0 ? `${name} takes no options` : `${name} takes ${known.join(', ')}`;
  const problems: StrategyProblem[] = [];
  for (const issue of error.issues) {
    const at = ['strategy_options', ...issue.path.map(String)];
    const found =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: [...at, key].join('.'), message: `unknown option "${key}"${known.length > 0 ? ' (misspelled?)' : ''}; ${takes}` }))
        : [{ path: at.join('.'), message: issue.message }];
    // An integer past the safe range fails two checks with one message.
    for (const p of found) if (!problems.some((q) => q.path === p.path && q.message === p.message)) problems.push(p);
  }
  return problems;
}

/** Strategies by the name a variant file gives in `strategy:` (docs/strategies.md). */
export const strategies: Readonly<Record<string, RegisteredStrategy>> = {
  loop: register('loop', loopStrategy),
  budgeted: register('budgeted', budgetedStrategy),
  chain: register('chain', chainStrategy),
  hybrid: register('hybrid', hybridStrategy),
  'plan-execute': register('plan-execute', planExecuteStrategy),
};

export function strategyNames(): string[] {
  return Object.keys(strategies);
}

/** A variant's strategy with its options parsed, ready to drive a session; or what is wrong with them. */
export function bindStrategy(variant: Pick<Variant, 'strategy' | 'strategyOptions'>): ReturnType<RegisteredStrategy['bind']> {
  const strategy = Object.hasOwn(strategies, variant.strategy) ? strategies[variant.strategy] : undefined;
  if (!strategy) return { problems: [{ path: 'strategy', message: `unknown strategy "${variant.strategy}"; use one of ${strategyNames().join(', ')}` }] };
  return strategy.bind(variant.strategyOptions);
}

/**
 * What is wrong with a variant's `strategy` (names no strategy) or its
 * `strategy_options` (the strategy's schema refuses them), as input issues
 * naming the file and field; none for a variant a session can run.
 */
export function strategyIssues(variant: Variant): InputIssue[] {
  const bound = bindStrategy(variant);
  return 'problems' in bound ? bound.problems.map((p) => ({ file: displayPath(variant.file), ...p })) : [];
}
