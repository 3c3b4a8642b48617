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
