import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { countO200k } from '../../harness/providers/o200k.js';
import { countText, tokenCountCache } from '../../harness/providers/token-estimate.js';
import { TokenCountCache } from '../../harness/providers/token-cache.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { measureTokenError } from '../../testing/wire/measure-token-error.js';
import { totalOf } from '../../testing/wire/openai-wire-count.js';
import { captureIO } from '../helpers.js';

describe('TokenCountCache', () => {
  it('counts each distinct text once and returns the same figure on a hit', () => {
    const cache = new TokenCountCache();
    const seen: string[] = [];
    const count = (t: string): number => (seen.push(t), t.length * 2);
    expect(cache.count('abc', count)).toBe(6);
    expect(cache.count('abc', count)).toBe(6);
    expect(cache.count('de', count)).toBe(4);
    expect(seen).toEqual(['abc', 'de']);
    expect([cache.hits, cache.misses, cache.size, cache.chars]).toEqual([1, 2, 2, 5]);
  });

  it('evicts the least recently used texts to stay within its character and entry bounds', () => {
    const cache = new TokenCountCache(10, 3);
    const count = (t: string): number => t.length;
    cache.count('aaaa', count);
    cache.count('bbbb', count);
    cache.count('aaaa', count); // now 'bbbb' is the oldest
    cache.count('cc', count); // 10 chars, 3 entries: all kept
    expect([cache.size, cache.chars]).toEqual([3, 10]);
    cache.count('d', count); // 11 chars: 'bbbb' goes
    expect([cache.size, cache.chars]).toEqual([3, 7]);
    const misses = cache.misses;
    cache.count('aaaa', count);
    expect(cache.misses).toBe(misses);
    cache.count('bbbb', count);
    expect(cache.misses).toBe(misses + 1);
    expect(cache.chars).toBeLessThanOrEqual(10);
    expect(cache.size).toBeLessThanOrEqual(3);
  });

  it('lists its texts least recently used first, and a hit makes a text the most recent', () => {
    const cache = new TokenCountCache(100, 3);
    const count = (t: string): number => t.length;
    for (const t of ['a', 'b', 'c', 'a', 'b']) cache.count(t, count);
    expect([...cache.texts()]).toEqual(['c', 'a', 'b']);
    cache.count('d', count); // 4 entries: the least recently used ('c') goes
    expect([...cache.texts()]).toEqual(['a', 'b', 'd']);
    cache.count('d', count);
    cache.count('a', count);
    expect([...cache.texts()]).toEqual(['b', 'd', 'a']);
    cache.clear();
    expect([...cache.texts()]).toEqual([]);
    cache.count('e', count);
    expect([[...cache.texts()], cache.size, cache.chars]).toEqual([['e'], 1, 1]);
  });

  it('keeps no text longer than its per-text bound, and passes through when disabled', () => {
    const cache = new TokenCountCache(100, 10, 4);
    cache.count('12345', (t) => t.length);
    expect(cache.size).toBe(0);
    cache.enabled = false;
    cache.count('123', (t) => t.length);
    cache.count('123', (t) => t.length);
    expect([cache.size, cache.hits]).toEqual([0, 0]);
  });

  it('gives the tokenizer figure for real text', () => {
    const text = '{"role":"user","content":"Which regions dropped conversion week over week?"}';
    expect(countText(text)).toBe(countO200k(text));
    expect(countText(text)).toBe(countO200k(text));
    expect(countO200k('hello world')).toBe(2);
  });
});

describe('token counts of a run with and without the cache', () => {
  const usages = async (cacheOn: boolean): Promise<string[]> => {
    tokenCountCache.clear();
    tokenCountCache.enabled = cacheOn;
    const out = mkdtempSync(join(tmpdir(), 'bb-token-cache-'));
    try {
      // 3 reference policies x 3 variants x the default scenarios x 1 repeat
      const code = await main(['run', '-r', '1', '--variants', 'baseline', '--variants', 'json-plan', '--variants', 'user-batching', '--quiet', '--out', out, '--run-id', 'r'], captureIO());
      expect(code).toBe(0);
    } finally {
      tokenCountCache.enabled = true;
    }
    const run = readRun(join(out, 'r'));
    return run.sessions.flatMap((s) => s.turns.map((t, i) => `${s.key}#${i + 1} ${t.usage.inputTokens}/${t.usage.outputTokens}/${t.usage.estimated}`)).sort();
  };

  it('every turn of every session has the same input and output tokens', async () => {
    const without = await usages(false);
    const before = { hits: tokenCountCache.hits, misses: tokenCountCache.misses };
    const withCache = await usages(true);
    expect(without.length).toBeGreaterThan(800);
    expect(withCache).toEqual(without);
    // Most texts repeat across policies, variants and repeats: far fewer are tokenized than looked up.
    const hits = tokenCountCache.hits - before.hits;
    const misses = tokenCountCache.misses - before.misses;
    expect(hits).toBeGreaterThan(misses * 3);
  });
});

describe('the estimate with its caches against uncached counting', () => {
  it('gives the uncached count on every request and reply of a whole reference run of the default suite', async () => {
    // 3 reference policies x every shipped variant x the default scenarios; the estimator keeps its text cache
    // and its per-message and per-tool-list caches warm across turns and sessions, the reference tokenizes every text.
    const r = await measureTokenError();
    expect(r.requests).toBeGreaterThan(2000);
    expect(r.mismatches).toEqual({ input: 0, output: 0 });
    expect(r.estimate).toEqual(r.wire);
    expect(totalOf(r.estimate)).toBe(totalOf(r.wire));
    expect(r.output.estimate).toBe(r.output.wire);
  });
});
