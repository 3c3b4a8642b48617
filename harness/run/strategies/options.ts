import { z } from 'zod';
import { BatchbenchError } from '../../core/errors.js';
import { formatLimit } from '../../core/limits.js';
import { shortText } from '../../scenarios/text-limits.js';

/** A variant's `strategy` or `strategy_options` that is wrong, met when a session starts: only a variant built in code, which skipped the load-time check, gets there. */
export class StrategyOptionError extends BatchbenchError {
  override readonly name = 'StrategyOptionError';
}

/**
 * A whole-number option from `min` to `max`; `limitNote` follows the upper
 * bound in messages (e.g. a pointer to docs/limits.md).
 */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER, limitNote = ''): z.ZodInt {
  const atMost = `must be at most ${formatLimit(max)}${limitNote}`;
  return z
    .int({ error: (issue) => (issue.code === 'too_big' ? atMost : 'must be a whole number') })
    .min(min, `must be at least ${min}`)
    .max(max, atMost);
}

/** A non-empty name, at most a short text long. */
export const nameOption = (): z.ZodString => shortText().min(1, 'must not be empty');
