import type { z } from 'zod';
import type { InputIssue } from '../../core/errors.js';
import { displayPath } from '../../core/input-files.js';
import type { Variant } from '../../scenarios/load-variants.js';
import { STRATEGY_OPTIONS, type StrategyName } from './option-schemas.js';

/** A problem with a variant's `strategy` or `strategy_options`, located by the field path in the variant's front matter. */
export interface StrategyProblem {
  /** `strategy`, or `strategy_options` and the path of the option, e.g. `strategy_options.max_turns`. */
  path: string;
  message: string;
}

export function strategyNames(): StrategyName[] {
  return Object.keys(STRATEGY_OPTIONS) as StrategyName[];
}

export function isStrategyName(name: string): name is StrategyName {
  return Object.hasOwn(STRATEGY_OPTIONS, name);
}

/** The problem of a variant whose `strategy` names no strategy. */
export function unknownStrategy(name: string): StrategyProblem {
  return { path: 'strategy', message: `unknown strategy "${name}"; use one of ${strategyNames().join(', ')}` };
}

/** A schema's refusal of `strategy_options` as problems: unknown keys are named with the known ones. */
export function optionProblems(name: string, known: readonly string[], error: z.ZodError): StrategyProblem[] {
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

/**
 * What is wrong with a variant's `strategy` (names no strategy) or its
 * `strategy_options` (the strategy's schema refuses them), as input issues
 * naming the file and field; none for a variant a session can run. Loads
 * only the schemas (option-schemas.ts), not the strategies.
 */
export function strategyIssues(variant: Variant): InputIssue[] {
  const problems = ((): StrategyProblem[] => {
    if (!isStrategyName(variant.strategy)) return [unknownStrategy(variant.strategy)];
    const schema = STRATEGY_OPTIONS[variant.strategy];
    const parsed = schema.safeParse(variant.strategyOptions);
    return parsed.success ? [] : optionProblems(variant.strategy, Object.keys(schema.shape), parsed.error);
  })();
  return problems.map((p) => ({ file: displayPath(variant.file), ...p }));
}
