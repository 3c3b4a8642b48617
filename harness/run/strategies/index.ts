import { loopStrategy } from './loop.js';
import type { Strategy } from './types.js';

/** Strategies by the name a variant file gives in `strategy:`. */
export const strategies: Record<string, Strategy> = {
  loop: loopStrategy,
};

export function strategyNames(): string[] {
  return Object.keys(strategies);
}
