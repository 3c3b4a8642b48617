import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { readPlainYaml } from '../../harness/core/plain-yaml.js';

/** What the `yaml` package makes of `text`, as parseYaml used it before the quick reader: the value, or its first error. */
function viaYaml(text: string): { value: unknown } | { error: string } {
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: new LineCounter() });
  if (doc.errors.length > 0) return { error: doc.errors[0]?.message ?? '' };
  return { value: doc.toJS({ maxAliasCount: 100 }) };
}

/** Same value to the last detail: prototypes, own keys in order, property flags, -0 and NaN, shared objects. */
function identical(a: unknown, b: unknown, seen = new Map<object, object>()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const paired = seen.get(a);
  if (paired !== undefined) return paired === b;
  seen.set(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.length !== keysB.length || keysA.some((k, i) => k !== keysB[i])) return false;
  return keysA.every((k) => {
    const da = Object.getOwnPropertyDescriptor(a, k);
    const db = Object.getOwnPropertyDescriptor(b, k);
    return da !== undefined && db !== undefined && da.enumerable === db.enumerable && da.writable === db.writable && identical(da.value, db.value, seen);
  });
}

/** Asserts the quick reader reads `text` and gives exactly what `yaml` gives. */
function expectSame(text: string): unknown {
  const quick = readPlainYaml(text);
  const full = viaYaml(text);
  expect(full).not.toHaveProperty('error');
  expect(quick).toBeDefined();
  expect(identical(quick?.value, 'value' in full ? full.value : undefined)).toBe(true);
  return quick?.value;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** Every YAML text the package ships or the repository runs: scenario files (BFCL ones too), prompt front matter, templates, examples, fixtures. */
function shippedYaml(): { file: string; text: string }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  for (const dir of ['scenarios', 'prompts', 'templates', 'examples', 'fixtures']) walk(dir);
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    if (/\.ya?ml$/.test(file)) return [{ file, text }];
    const front = file.endsWith('.md') ? FRONT_MATTER.exec(text) : null;
    return front ? [{ file, text: front[1] ?? '' }] : [];
  });
}

describe('the quick YAML reader', () => {
  it('gives exactly what the yaml package gives for every shipped YAML input, and reads nearly all of them', () => {
    const inputs = shippedYaml();
    expect(inputs.filter((i) => i.file.startsWith('scenarios/bfcl/')).length).toBeGreaterThan(190);
    expect(inputs.filter((i) => i.file.startsWith('prompts/')).length).toBe(10);
    const left: string[] = [];
    for (const { file, text } of inputs) {
      const quick = readPlainYaml(text);
      if (quick === undefined) {
        left.push(file);
        continue;
      }
      const full = viaYaml(text);
      expect({ file, same: 'value' in full && identical(quick.value, full.value) }).toEqual({ file, same: true });
    }
    // Two BFCL files hold lines with trailing spaces, which the quick reader leaves to yaml.
    expect(left.sort()).toEqual(['scenarios/bfcl/bfcl-parallel-156.yaml', 'scenarios/bfcl/bfcl-parallel-162.yaml']);
  });

  it('resolves plain scalars by the YAML 1.2 core schema, as yaml does', () => {
    const value = expectSame(
      [
        'a: [~, null, Null, NULL, true, True, FALSE, yes, no, on]',
        'b: [0o17, 017, -12, +3, 0x1F, 0X1F, 1_000, 12345678901234567890]',
        'c: [1.5, .5, -0.0, 1e3, 2.5E-2, .inf, -.Inf, .nan, 1.2.3, 3.8.0]',
        "d: ['1', \"true\", 'it''s', \"tab\\tand \\u00e9 \\x41\"]",
        'e: -0',
        'f:',
      ].join('\n'),
    );
    expect(value).toEqual({
      a: [null, null, null, null, true, true, false, 'yes', 'no', 'on'],
      b: [15, 17, -12, 3, 31, '0X1F', '1_000', 12345678901234567000],
      c: [1.5, 0.5, -0, 1000, 0.025, Infinity, -Infinity, NaN, '1.2.3', '3.8.0'],
      d: ['1', 'true', "it's", 'tab\tand é A'],
      e: -0,
      f: null,
    });
  });

  it('folds and chomps block scalars as yaml does', () => {
    const value = expectSame(['literal: |', '  one', '', '    two', 'stripped: |-', '  one', '  two', '', '', 'folded: >', '  one', '  two', '', '  three', 'folded_stripped: >-', '', '  one', '  two', 'next: 1', ''].join('\n'));
    expect(value).toEqual({ literal: 'one\n\n  two\n', stripped: 'one\ntwo', folded: 'one two\nthree\n', folded_stripped: '\none two', next: 1 });
  });

  it('reads compact mappings in sequences, same-indent sequences, flow collections and comments', () => {
    expectSame(
      [
        '# a comment',
        'tools:',
        '  - name: t # trailing comment',
        '    description: |-',
        '      text',
        '    parameters: { type: object, properties: { q: { type: string, enum: [a, b] } }, required: [q] }',
        '  -',
        '    name: u',
        'list:',
        '- a',
        '- { k: v, flag }',
        '- "quoted: yes"',
        'url: https://example.com/a#b',
        'empty: { }',
        'task: pick [1, 2] or {3}, then stop',
      ].join('\n'),
    );
  });

  it('keeps `__proto__` and `toString` as own keys, as yaml does', () => {
    const value = expectSame('__proto__: { polluted: true }\ntoString: x\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'toString']);
  });

  it('gives an alias the very object of its anchor, as yaml does', () => {
    const value = expectSame('a: &shared { ok: true }\nb: *shared\nc: &n 5\nd: *n\n') as Record<string, unknown>;
    expect(value['b']).toBe(value['a']);
    expect(value['d']).toBe(5);
  });

  it('leaves to yaml every document outside its forms, valid or not', () => {
    const left = [
      '',
      '# only a comment\n',
      'plain scalar\n',
      '%YAML 1.1\n---\na: 1\n',
      '---\na: 1\n',
      'a: 1\n...\n',
      'a: 1\n---\nb: 2\n',
      'a:\tb\n',
      'a: b\r\nc: d\r\n',
      'a: b \n',
      'a: !!str 1\n',
      'a: &x\n  b: 1\nc: *x\n',
      'a: *undefined\n',
      'a: &x [*x]\n',
      `a: &x 1\n${Array.from({ length: 11 }, (_, i) => `b${i}: *x`).join('\n')}\n`,
      'a: 1\na: 2\n',
      '1: one\n',
      'true: yes\n',
      '? complex\n: key\n',
      'a: b: c\n',
      'a: multi\n  line plain\n',
      'a: "multi\n  line quoted"\n',
      'a: [multi,\n  line flow]\n',
      'a: |+\n  keep\n',
      'a: |2\n   indicator\n',
      'a: >\n  more\n    indented\n',
      'a: [1, 2, ]\n',
      'a: "bad \\q escape"\n',
      '- - nested\n',
      '- |\n  block in a sequence\n',
      'a: 1\n- b\n',
      'a:\n  b: 1\n c: 2\n',
      `${'k'.repeat(1001)}: long key\n`,
      `a: ${'['.repeat(70)}${']'.repeat(70)}\n`,
    ];
    for (const text of left) expect({ text, quick: readPlainYaml(text) }).toEqual({ text, quick: undefined });
  });

  it('never accepts what yaml refuses', () => {
    const invalid = ['a: [1, 2\n', 'a: "open\n', "a: 'open\n", 'a: b\n  c: d\n', 'a: b\n- c\n', '- a\nb: c\n', 'a: 1\n  b: 2\n', 'a: "x" y\n', 'a:\n  - b\n c: d\n', '{a: 1\n'];
    for (const text of invalid) {
      expect(viaYaml(text)).toHaveProperty('error');
      expect({ text, quick: readPlainYaml(text) }).toEqual({ text, quick: undefined });
    }
  });
});
