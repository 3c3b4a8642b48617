import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { compileSafeRegex, safeRegexProblem } from '../../harness/scenarios/safe-regex.js';
import { answerHasFact } from '../../harness/scenarios/success.js';
import { captureIO, PROJECT } from '../helpers.js';

/** A one-call scenario whose answer must match `fact` (a YAML flow value). */
function scenarioWithFact(fact: string, referenceAnswer: string): string {
  return [
    'id: s', 'title: t', 'domain: d', 'shape: single-call', 'task: q',
    'tools: [{ name: t, description: d, parameters: { type: object }, results: [{ match: {}, result: r }] }]',
    'expected_calls: [{ id: a, tool: t }]',
    `success: { answer_contains: [${fact}] }`,
    `reference_answer: ${JSON.stringify(referenceAnswer)}`,
  ].join('\n');
}

async function validate(dir: string): Promise<{ code: number; stderr: string; ms: number }> {
  const io = captureIO();
  const start = performance.now();
  const code = await main(['validate', '--scenarios', dir, '--prompts', join(PROJECT, 'prompts')], io);
  return { code, stderr: io.stderr.join('\n'), ms: performance.now() - start };
}

describe('user-given regular expressions run in linear time', () => {
  it('a catastrophic pattern answers at once (a backtracking engine needs ~2^40 steps here)', () => {
    const re = compileSafeRegex('^(a+)+$');
    const start = performance.now();
    expect(re.test(`${'a'.repeat(40)}!`)).toBe(false);
    expect(re.test('a'.repeat(100_000))).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('keeps JavaScript semantics for the patterns and flags the suite uses', () => {
    expect(answerHasFact('The CERTIFICATE\nhas expired', { regex: 'certificate.*expired|expired.*certificate', flags: 'is' })).toBe(true);
    expect(answerHasFact('The CERTIFICATE\nhas expired', { regex: 'certificate.*expired', flags: 'i' })).toBe(false);
    expect(answerHasFact('Oslo: sunny, 9 degrees', { regex: 'Oslo\\D{0,30}\\b9\\b' })).toBe(true);
    expect(answerHasFact('Oslo: sunny, 19 degrees', { regex: 'Oslo\\D{0,30}\\b9\\b' })).toBe(false);
    expect(answerHasFact('Porto\nrain', { regex: 'Porto[^\\n]*(rain|showers)', flags: 'i' })).toBe(false);
    expect(compileSafeRegex('\\b([A-Z]+-\\d+)\\b').exec('Fix PAY-42 today')).toEqual(['PAY-42', 'PAY-42']);
    expect(compileSafeRegex('(a)|(b)').exec('b')).toEqual(['b', undefined, 'b']);
    expect(compileSafeRegex('x').exec('y')).toBeNull();
  });

  it('refuses what RE2 cannot run in linear time, and bad flags, saying why', () => {
    expect(safeRegexProblem('(a)\\1')).toMatch(/^not supported by the linear-time regex engine \(RE2\): invalid escape sequence: `\\1`.*backreferences, lookahead and lookbehind/);
    expect(safeRegexProblem('a(?=b)')).toMatch(/^not supported by the linear-time regex engine \(RE2\): invalid or unsupported Perl syntax: `\(\?=`/);
    expect(safeRegexProblem('(?<!a)b')).toMatch(/^not supported by the linear-time regex engine/);
    expect(safeRegexProblem('a{1001}')).toMatch(/invalid repeat count/);
    expect(safeRegexProblem('(')).toBe('invalid regex: Invalid regular expression: /(/: Unterminated group');
    expect(safeRegexProblem('a', 'y')).toBe('flag "y" is not supported (use i, m, s, u or g)');
    expect(safeRegexProblem('a'.repeat(10_001))).toBe('the pattern has 10,001 characters; the limit is 10,000');
    expect(safeRegexProblem('^(a+)+$', 'i')).toBeUndefined();
  });

  it('validate finishes at once on a catastrophic pattern whose reference answer does not match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-redos-'));
    writeFileSync(join(dir, 's.yaml'), scenarioWithFact(`{ regex: '^(a+)+$' }`, `${'a'.repeat(40)}!`));
    const r = await validate(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml: reference_answer: does not contain the required fact "\/\^\(a\+\)\+\$\/"/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('validate refuses a backreference and a lookahead with file and field (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-re2-'));
    writeFileSync(join(dir, 'backref.yaml'), scenarioWithFact(`{ regex: '(a)\\1' }`, 'aa'));
    writeFileSync(join(dir, 'lookahead.yaml'), scenarioWithFact(`ok, { regex: 'x(?=y)', flags: i }`, 'ok xy'));
    const r = await validate(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backref\.yaml: success\.answer_contains\.0\.regex: not supported by the linear-time regex engine \(RE2\): invalid escape sequence/);
    expect(r.stderr).toMatch(/lookahead\.yaml: success\.answer_contains\.1\.regex: not supported by the linear-time regex engine \(RE2\): invalid or unsupported Perl syntax: `\(\?=`/);
  });

  it('a chain-step regex with a lookbehind is refused with its field path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-re2-chain-'));
    writeFileSync(
      join(dir, 'chain.yaml'),
      [
        scenarioWithFact('r', 'r'),
        'chains:',
        '  c:',
        `    - { id: x, tool: t, inputs: { q: { from: task, regex: '(?<=#)\\d+' } } }`,
      ].join('\n'),
    );
    const r = await validate(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chain\.yaml: chains\.c\.0\.inputs\.q\.regex: not supported by the linear-time regex engine/);
  });
});

describe('a pattern on RE2 answers the same text the same way every time', () => {
  it('kept answers, evicted ones and long texts all agree with JavaScript', () => {
    const re = compileSafeRegex('roll ?back|roll [a-z-]+ back|revert', 'i');
    const js = /roll ?back|roll [a-z-]+ back|revert/i;
    const texts = Array.from({ length: 700 }, (_, i) => (i % 3 === 0 ? `we roll ${'x'.repeat(i % 7)} back now ${i}` : i % 3 === 1 ? `Revert #${i}` : `keep ${i}`));
    texts.push(`${'a'.repeat(5000)} rollback`, `${'a'.repeat(5000)} roll forward`);
    // Each text three times, in an order that fills and clears the kept answers between the repeats.
    for (const round of [0, 1, 2]) {
      for (const text of round === 1 ? [...texts].reverse() : texts) expect(re.test(text), `${text.slice(0, 40)} (round ${round})`).toBe(js.test(text));
    }
  });
});
