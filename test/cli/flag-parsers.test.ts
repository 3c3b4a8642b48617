import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { choice, decimal, integer, list, modelLatency, repeated, share, shard } from '../../harness/cli/flag-parsers.js';
import { addFlags, RUN_FLAGS, type RunFlags } from '../../harness/cli/flags.js';
import { cli } from './helpers.js';

const parse = <T>(parser: (value: string, previous: T | undefined) => T, ...values: string[]): T | undefined =>
  values.reduce<T | undefined>((previous, value) => parser(value, previous), undefined);

describe('the shared flag parsers', () => {
  it('integer: a whole number from min to max; anything else names the flag and the value', () => {
    const repeats = integer('--repeats', 1, 10_000);
    expect(repeats('3', undefined)).toBe(3);
    expect(repeats('1e3', undefined)).toBe(1000);
    expect(() => repeats('0', undefined)).toThrow('--repeats must be a positive integer (got "0")');
    expect(() => repeats('2.5', undefined)).toThrow('--repeats must be a positive integer (got "2.5")');
    expect(() => repeats('', undefined)).toThrow('--repeats must be a positive integer (got "")');
    expect(() => repeats('10001', undefined)).toThrow('--repeats must be at most 10,000 (got "10001"; see docs/limits.md)');
    const seed = integer('--seed', 0);
    expect(seed('0', undefined)).toBe(0);
    expect(() => seed(' ', undefined)).toThrow('--seed must be an integer >= 0 (got " ")');
    expect(() => seed('-1', undefined)).toThrow('--seed must be an integer >= 0 (got "-1")');
    expect(() => integer('--resamples', 100)('99', undefined)).toThrow('--resamples must be an integer >= 100 (got "99")');
  });

  it('share: a fraction within its range, the ends as the range says', () => {
    expect(share('--max-error-rate', '[0, 1]', '0.05')('0', undefined)).toBe(0);
    expect(share('--max-error-rate', '[0, 1]', '0.05')('1', undefined)).toBe(1);
    expect(() => share('--max-error-rate', '[0, 1]', '0.05')('1.5', undefined)).toThrow('--max-error-rate must be a fraction from 0 to 1 (e.g. 0.05), got "1.5"');
    expect(share('--quantile', '(0, 1]', '0.9')('1', undefined)).toBe(1);
    expect(() => share('--quantile', '(0, 1]', '0.9')('0', undefined)).toThrow('--quantile must be a fraction above 0 and at most 1 (e.g. 0.9), got "0"');
    expect(() => share('--power', '(0, 1)', '0.8')('1', undefined)).toThrow('--power must be a fraction strictly between 0 and 1 (e.g. 0.8), got "1"');
    expect(() => share('--power', '(0, 1)', '0.8')('half', undefined)).toThrow('got "half"');
  });

  it('decimal, choice, shard', () => {
    expect(decimal('--temperature')('0.25', undefined)).toBe(0.25);
    expect(() => decimal('--temperature')('warm', undefined)).toThrow('--temperature must be a number (got "warm")');
    expect(choice('--compare-by', ['variants', 'models'] as const)('models', undefined)).toBe('models');
    expect(() => choice('--compare-by', ['variants', 'models'] as const)('model', undefined)).toThrow('--compare-by must be one of variants, models (got "model")');
    expect(() => choice('--generalize', ['tasks'] as const)('models', undefined)).toThrow('--generalize takes "tasks" (got "models")');
    expect(shard('2/4', undefined)).toEqual({ index: 2, count: 4 });
    expect(() => shard('5/4', undefined)).toThrow('--shard must be i/n with 1 <= i <= n, e.g. 2/4 (got "5/4")');
  });

  it('list splits commas and collects repeats; repeated keeps each value whole; model latency merges, the later value winning', () => {
    expect(parse(list, 'a, b', '', 'c,,')).toEqual(['a', 'b', 'c']);
    expect(parse(repeated, 'x{1,2}', 'y')).toEqual(['x{1,2}', 'y']);
    expect(parse(modelLatency, '300', 'openai:gpt-4o=1200,ref:optimal=0', '400,openai:gpt-4o=900')).toEqual({ defaultMs: 400, byProvider: { 'openai:gpt-4o': 900, 'ref:optimal': 0 } });
    expect(() => parse(modelLatency, '=5')).toThrow('--model-latency "=5": the provider before "=" is empty');
  });
});

describe('commander reads each flag with its parser', () => {
  it('the run flags arrive typed', () => {
    const cmd = addFlags(new Command('run').exitOverride(), RUN_FLAGS);
    cmd.parse(['-r', '2', '--seed', '7', '--provider', 'ref:optimal,ref:sequential', '--shard', '1/3', '--max-error-rate', '0.1', '--compare-by', 'models', '--keep-errored'], { from: 'user' });
    const flags = cmd.opts<RunFlags>();
    expect(flags).toEqual({ repeats: 2, seed: 7, provider: ['ref:optimal', 'ref:sequential'], shard: { index: 1, count: 3 }, maxErrorRate: 0.1, compareBy: 'models', keepErrored: true });
  });

  it('a table key that is not the name commander stores the flag under is refused at once', () => {
    expect(() => addFlags(new Command('x'), { repeat: { flags: '--repeats <n>', description: 'd' } })).toThrow('flag table: --repeats <n> is stored as "repeats", not "repeat"');
  });

  it('a bad value is a usage error naming the flag, exit 2, before anything runs', async () => {
    const r = await cli(['run', '--concurrency', 'many']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: --concurrency must be a positive integer (got "many")');
    const h = await cli(['history', '--last', '0']);
    expect(h.code).toBe(2);
    expect(h.err).toBe('error: --last must be a positive integer (got "0")');
    const c = await cli(['compare', 'a', 'b', '--confidence', '95']);
    expect(c.err).toBe('error: --confidence must be a fraction strictly between 0 and 1 (e.g. 0.95), got "95"');
  });
});
