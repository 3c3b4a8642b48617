import { UsageError } from '../core/errors.js';
import { formatLimit, LIMITS } from '../core/limits.js';
import { parseShard, type Shard } from '../core/matrix.js';
import { checkRunId } from '../core/run-file/run-id.js';

/**
 * The parsers of the CLI's flags, one per kind of value: each turns the text of
 * a flag into its typed value once, when commander reads it, or throws a
 * `UsageError` naming the flag and what it takes. Nothing below the CLI sees a
 * string that should be a number. `previous` is the value so far of a
 * repeatable flag (undefined the first time).
 */
export type FlagParser<T> = (value: string, previous: T | undefined) => T;

/** An integer from `min` (to `max`, a bound of docs/limits.md): counts, seeds, sizes, durations in ms. */
export function integer(flag: string, min: number, max?: number): FlagParser<number> {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
      throw new UsageError(`${flag} must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`} (got "${value}")`);
    }
    if (max !== undefined && n > max) throw new UsageError(`${flag} must be at most ${formatLimit(max)} (got "${value}"; see docs/limits.md)`);
    return n;
  };
}

/** Any finite number (a sampling temperature). */
export function decimal(flag: string): FlagParser<number> {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number (got "${value}")`);
    return n;
  };
}

/** Which ends of 0..1 a share may take. */
export type ShareRange = '[0, 1]' | '(0, 1]' | '(0, 1)';

const SHARE_WORDS: Record<ShareRange, string> = {
  '[0, 1]': 'from 0 to 1',
  '(0, 1]': 'above 0 and at most 1',
  '(0, 1)': 'strictly between 0 and 1',
};

/** A fraction within `range`, e.g. 0.05 for 5%: an error rate, a quantile, a power, a confidence level. */
export function share(flag: string, range: ShareRange, example: string): FlagParser<number> {
  const low = range.startsWith('[') ? (n: number) => n >= 0 : (n: number) => n > 0;
  const high = range.endsWith(']') ? (n: number) => n <= 1 : (n: number) => n < 1;
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !low(n) || !high(n)) {
      throw new UsageError(`${flag} must be a fraction ${SHARE_WORDS[range]} (e.g. ${example}), got "${value}"`);
    }
    return n;
  };
}

/** One of a few words. */
export function choice<T extends string>(flag: string, choices: readonly T[]): FlagParser<T> {
  return (value) => {
    const found = choices.find((c) => c === value);
    if (found !== undefined) return found;
    throw new UsageError(choices.length === 1 ? `${flag} takes "${choices[0]}" (got "${value}")` : `${flag} must be one of ${choices.join(', ')} (got "${value}")`);
  };
}

/** Comma-separated values, repeatable: `--tags a,b --tags c` is `[a, b, c]`; blanks are dropped. */
export const list: FlagParser<string[]> = (value, previous) => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== ''),
];

/** Whole values, repeatable, never split (a value may hold commas, as a regular expression does). */
export const repeated: FlagParser<string[]> = (value, previous) => [...(previous ?? []), value];

/** `i/n`: the i-th of n parts of the matrix. */
export const shard: FlagParser<Shard> = (value) => parseShard(value);

/** A run id: a plain directory name. */
export const runId: FlagParser<string> = (value) => checkRunId(value);

/** Virtual model latency: a default for every provider and overrides by provider id. */
export interface ModelLatency {
  defaultMs: number | undefined;
  byProvider: Record<string, number>;
}

/**
 * `--model-latency`, repeatable and comma-separated: `<ms>` sets the default,
 * `<provider>=<ms>` one provider's (e.g. `openai:gpt-4o=1200`; the provider id
 * may itself hold colons, the last `=` splits). A later value wins.
 */
export const modelLatency: FlagParser<ModelLatency> = (value, previous) => {
  const out: ModelLatency = { defaultMs: previous?.defaultMs, byProvider: { ...previous?.byProvider } };
  for (const raw of value.split(',').map((v) => v.trim()).filter((v) => v !== '')) {
    const eq = raw.lastIndexOf('=');
    const id = eq < 0 ? undefined : raw.slice(0, eq).trim();
    const text = eq < 0 ? raw : raw.slice(eq + 1).trim();
    const ms = Number(text);
    if (text === '' || !Number.isInteger(ms) || ms < 0) {
      throw new UsageError(`--model-latency "${raw}": give <ms> or <provider>=<ms> with an integer >= 0 (e.g. 800 or openai:gpt-4o=1200)`);
    }
    if (ms > LIMITS.latencyMs) throw new UsageError(`--model-latency must be at most ${formatLimit(LIMITS.latencyMs)} (got "${raw}"; see docs/limits.md)`);
    if (id === undefined) out.defaultMs = ms;
    else if (id === '') throw new UsageError(`--model-latency "${raw}": the provider before "=" is empty`);
    else out.byProvider[id] = ms;
  }
  return out;
};
