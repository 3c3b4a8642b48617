import { join } from 'node:path';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { literalTest } from '../../harness/scenarios/literal-regex.js';
import { loadScenarios } from '../../harness/scenarios/load-scenarios.js';

/** RE2's own answer, as safe-regex.ts asked it before the quick test. */
function re2(pattern: string, flags: string): RE2JS {
  const bits = (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes('m') ? RE2JS.MULTILINE : 0) | (flags.includes('s') ? RE2JS.DOTALL : 0);
  return RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
}

/** A text in several spellings: cases, the Kelvin sign and long s that RE2 folds to k and s, word characters around. */
const spellings = (t: string): string[] => [
  t,
  t.toUpperCase(),
  t.toLowerCase(),
  t.replace(/k/g, '\u212a').replace(/s/g, '\u017f'),
  t.replace(/ /g, '_'),
  t.replace(/ /g, '\u00e9'),
  `x${t}x`,
];

/** A small deterministic generator (mulberry32). */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

describe('the quick test of finite patterns', () => {
  it('answers as RE2 for every regex of the shipped suite on its reference answers and tasks', () => {
    const { scenarios } = loadScenarios([join(import.meta.dirname, '..', '..', 'scenarios')]);
    expect(scenarios.length).toBe(30);
    const texts = scenarios.flatMap((s) => [s.referenceAnswer, s.task]).flatMap(spellings);
    const facts = scenarios.flatMap((s) => s.success.answerContains).filter((f) => typeof f !== 'string');
    let quick = 0;
    for (const { regex, flags = '' } of facts) {
      const test = literalTest(regex, flags);
      if (test === undefined) continue;
      quick += 1;
      const engine = re2(regex, flags);
      for (const text of texts) expect({ regex, flags, text, found: test(text) }).toEqual({ regex, flags, text, found: engine.test(text) });
    }
    expect(quick).toBeGreaterThan(90);
  });

  it('answers as RE2 for generated patterns over generated texts, case folding, word boundaries and gaps included', () => {
    const next = random(7);
    const pick = <T>(xs: readonly T[]): T => xs[next(xs.length)] as T;
    const atoms = ['.*', '[^\\n]*', 'a', 'b', 'k', 'K', 's', 'S', '1', ' ', '-', '_', '.', ',', '\\.', '\\-', '\\b', '\\d', '[ab]', '[a-c]', '[,.]', '[-_]', '[A-C]', '[k-s]', '(a|b)', '(?:ab|c)', '(ab)?', 'é', '\\w', '#', '/', ':', '\\/', '\\\\'];
    const chars = ['a', 'b', 'k', 'K', 's', 'S', '\u212a', '\u017f', '1', ' ', '-', '_', '.', ',', 'A', 'é', 'É', '\n', '😀', '#', '/', 'İ', 'ı'];
    let quick = 0;
    for (let i = 0; i < 3000; i += 1) {
      let pattern = '';
      const atomsInPattern = 1 + next(5);
      for (let j = 0; j < atomsInPattern; j += 1) {
        pattern += pick(atoms);
        if (next(4) === 0) pattern += '?';
        if (next(6) === 0 && j < atomsInPattern - 1) pattern += '|';
      }
      const flags = pick(['', 'i', 's', 'is', 'u', 'iu', 'm']);
      try {
        new RegExp(pattern, flags);
      } catch {
        continue;
      }
      const test = literalTest(pattern, flags);
      if (test === undefined) continue;
      quick += 1;
      const engine = re2(pattern, flags);
      for (let k = 0; k < 20; k += 1) {
        let text = '';
        const length = next(12);
        for (let j = 0; j < length; j += 1) text += pick(chars);
        expect({ pattern, flags, text, found: test(text) }).toEqual({ pattern, flags, text, found: engine.test(text) });
      }
    }
    expect(quick).toBeGreaterThan(1000);
  });

  it('leaves every other pattern to RE2', () => {
    for (const pattern of ['a*', 'a+', 'a{2}', 'a.b', '^a', 'a$', '[^a]', '\\w', '\\s', '\\B', '(?=a)', '(?<n>a)', 'a??', 'é', '[é]', '\\bb?\\b', '[a-z][a-z]', `(${'a|'.repeat(64)}b)`, 'a.*?b', 'a.+b', '(a.*b)']) {
      expect({ pattern, test: literalTest(pattern, '') }).toEqual({ pattern, test: undefined });
    }
    // Gaps of two kinds in one alternative: `.*` spans lines under `s`, `[^\n]*` does not.
    expect(literalTest('a[^\\n]*b.*c', 's')).toBeUndefined();
  });
});
