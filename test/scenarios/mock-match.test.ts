import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchExpectedCall } from '../../harness/scenarios/expected-calls.js';
import { loadScenarios } from '../../harness/scenarios/load-scenarios.js';
import { regexMatcher, renderEcho } from '../../harness/scenarios/mock-match.js';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';

const FILE = join(import.meta.dirname, '..', 'fixtures', 'mock-match', 'search-and-echo.yaml');
const load = loadScenarios([FILE]);
const scenario = load.scenarios[0]!;
const tools = new MockToolExecutor(scenario);
const call = (name: string, args: Record<string, unknown>) => tools.execute(name, args, JSON.stringify(args));

describe('mock matching beyond equality', () => {
  it('the fixture loads', () => {
    expect(load.issues).toEqual([]);
  });

  it('contains: a case-insensitive substring of a free-text argument, with the other keys exact', async () => {
    expect((await call('search_docs', { space: 'eng', query: 'Checkout TIMEOUT postmortem' })).content).toBe('{"hits":["PM-311"]}');
    // exact mode: an extra key does not match; another space does not match.
    expect((await call('search_docs', { space: 'eng', query: 'checkout timeout', limit: 5 })).content).toBe('{"hits":[]}');
    expect((await call('search_docs', { space: 'ops', query: 'checkout timeout' })).content).toBe('{"hits":[]}');
    expect((await call('search_docs', { space: 'eng', query: 'checkout latency' })).content).toBe('{"hits":[]}');
  });

  it('regex: a linear-time pattern over a free-text argument, with (?i) for case', async () => {
    expect((await call('search_docs', { query: 'Postmortem 311' })).content).toBe('{"hits":["PM-311"],"exact":true}');
    expect((await call('search_docs', { query: 'pm-311', space: 'x' })).content).toBe('{"hits":["PM-311"],"exact":true}');
    expect((await call('search_docs', { query: 'pm-3111' })).content).toBe('{"hits":[]}');
    expect((await call('search_docs', { query: 311 })).content).toBe('{"hits":[]}');
  });

  it('unordered: arrays match as multisets, duplicates counted', async () => {
    expect(await call('lint_files', { files: ['src/a.ts', 'src/a.ts', 'src/b.ts'] })).toMatchObject({ content: '{"problems":2}', isError: false });
    expect(await call('lint_files', { files: ['src/a.ts', 'src/b.ts', 'src/b.ts'] })).toMatchObject({ isError: true, errorKind: 'no-match' });
    expect(await call('lint_files', { files: ['src/a.ts', 'src/b.ts'] })).toMatchObject({ isError: true, errorKind: 'no-match' });
  });

  it('an expected call with unordered arrays matches any order', () => {
    const matched = matchExpectedCall(scenario.expectedCalls, 'lint_files', { files: ['src/a.ts', 'src/a.ts', 'src/b.ts'] }, new Set());
    expect(matched?.id).toBe('lint');
    expect(matchExpectedCall(scenario.expectedCalls, 'lint_files', { files: ['src/a.ts', 'src/b.ts'] }, new Set())).toBeUndefined();
  });

  it('echo: a fallback echoes the arguments, keeping a whole-placeholder value typed', async () => {
    expect((await call('get_weather', { city: 'Oslo', days: 3 })).content).toBe(
      '{"city":"Oslo","days":3,"note":"no forecast for Oslo ({\\"city\\":\\"Oslo\\",\\"days\\":3})"}',
    );
    expect((await call('get_weather', { city: 'Bergen' })).content).toBe('{"city":"Bergen","days":null,"note":"no forecast for Bergen ({\\"city\\":\\"Bergen\\"})"}');
    expect(renderEcho('looked up {{ args.q }} for {{args.n}}', { q: 'x', n: 2 })).toBe('looked up x for 2');
  });

  it('a catastrophic pattern runs in linear time', () => {
    const m = regexMatcher('^(a+)+$');
    if ('error' in m) throw new Error(m.error);
    const start = performance.now();
    expect(m.test(`${'a'.repeat(50_000)}b`)).toBe(false);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('load errors name the field: a regex RE2 cannot compile, unordered on a non-array, echo without an inline result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-mock-'));
    const text = readFileSync(FILE, 'utf8')
      .replace("regex: { query: '(?i)^(post-?mortem|pm)[ -]?\\d{3}$' }", "regex: { query: '(a)\\1' }")
      .replace('unordered: [files]\n        result', 'unordered: [files, other]\n        result')
      .replace("      result: { city: '{{args.city}}', days: '{{args.days}}', note: 'no forecast for {{args.city}} ({{args}})' }", '      error: no forecast');
    writeFileSync(join(dir, 's.yaml'), text);
    const issues = loadScenarios([dir]).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual([
      expect.stringMatching(/^tools\.0\.results\.1\.regex\.query: not supported by the linear-time regex engine \(RE2\): invalid escape sequence: `\\1`/),
      'tools.1.results.0.unordered.1: "other" must be an array in match',
      'tools.2.fallback.echo: echo needs an inline result to echo the arguments into',
      'expected_calls.2.args: no mocked result of "get_weather" answers these arguments',
    ]);
  });
});
