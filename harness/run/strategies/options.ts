import { BatchbenchError } from '../../core/errors.js';

/** A `strategy_options` value that is wrong for the strategy reading it. */
export class StrategyOptionError extends BatchbenchError {
  override readonly name = 'StrategyOptionError';
}

/** A positive integer option, or `fallback` when absent. */
export function positiveInt(options: Record<string, unknown>, key: string, fallback: number): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new StrategyOptionError(`strategy_options.${key} must be a positive integer (got ${JSON.stringify(v)})`);
  }
  return v;
}

/** A string option, or undefined when absent. */
export function stringOption(options: Record<string, unknown>, key: string): string | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new StrategyOptionError(`strategy_options.${key} must be a non-empty string (got ${JSON.stringify(v)})`);
  return v;
}
