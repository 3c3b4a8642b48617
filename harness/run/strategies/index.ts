import type { InputIssue } from '../../core/errors.js';
import { displayPath } from '../../core/input-files.js';
import type { Variant } from '../../scenarios/load-variants.js';
import { budgetedStrategy } from './budgeted.js';
import { chainStrategy } from './chain.js';
import { hybridStrategy } from './hybrid.js';
import { loopStrategy } from './loop.js';
import { planExecuteStrategy } from './plan-execute.js';
import type { Strategy } from './types.js';

/** Strategies by the name a variant file gives in `strategy:` (docs/strategies.md). */
export const strategies: Record<string, Strategy> = {
  loop: loopStrategy,
  budgeted: budgetedStrategy,
  chain: chainStrategy,
  hybrid: hybridStrategy,
  'plan-execute': planExecuteStrategy,
};

export function strategyNames(): string[] {
  return Object.keys(strategies);
}

/** Variants whose `strategy` names no strategy, as input issues naming the file and field. */
export function strategyIssues(variants: readonly Variant[]): InputIssue[] {
  return variants
    .filter((v) => !(v.strategy in strategies))
    .map((v) => ({ file: displayPath(v.file), path: 'strategy', message: `unknown strategy "${v.strategy}"; use one of ${strategyNames().join(', ')}` }));
}
