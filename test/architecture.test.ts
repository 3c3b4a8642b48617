import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, importsUnder, roomCycles, specifiers, stripComments, type Rules } from './import-graph.js';

const HARNESS = join(import.meta.dirname, '..', 'harness');

/**
 * The rooms of harness/ and what each may import (README.md, "Project layout").
 * Every room may import core; core imports nothing else.
 */
const RULES: Rules = {
  allowed: {
    core: [],
    metrics: ['core'],
    scenarios: ['core'],
    providers: ['core', 'scenarios'],
    config: ['core', 'scenarios', 'providers', 'metrics'],
    run: ['core', 'config', 'scenarios', 'providers', 'metrics'],
    reports: ['core', 'metrics', 'config'],
    cli: ['core', 'config', 'scenarios', 'providers', 'run', 'metrics', 'reports'],
    'index.ts': ['core', 'config', 'scenarios', 'providers', 'run', 'metrics', 'reports'],
  },
};

/** The "never" list of the architecture, checked on its own so a loosened table above cannot hide one. */
const NEVER: Record<string, readonly string[]> = {
  core: ['config', 'scenarios', 'providers', 'run', 'metrics', 'reports', 'cli'],
  metrics: ['providers', 'run', 'scenarios', 'cli', 'reports'],
  reports: ['providers', 'run', 'scenarios', 'cli'],
  providers: ['run', 'reports', 'cli'],
  scenarios: ['run', 'cli', 'reports'],
  run: ['cli', 'reports'],
};

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(HARNESS, join(dir, e.name)).split(sep).join('/')] : []));

describe('the import graph of harness/', () => {
  const imports = importsUnder(HARNESS);

  it('reads the imports it should (a check that sees nothing would pass anything)', () => {
    expect(imports.length).toBeGreaterThan(500);
    expect(imports).toContainEqual(expect.objectContaining({ from: 'cli/program.ts', to: expect.stringMatching(/^cli\/commands\//) }));
  });

  it('every file sits in a room, no room imports what it may not, and no two rooms import each other', () => {
    expect(checkImports(imports, RULES, files(HARNESS)).map((v) => `${v.kind}: ${v.text}`)).toEqual([]);
  });

  it('keeps every "never" of the architecture', () => {
    const broken = imports.filter((i) => NEVER[i.from.split('/')[0]!]?.includes(i.to.split('/')[0]!));
    expect(broken.map((i) => `${i.from}:${i.line} -> ${i.to}`)).toEqual([]);
  });

  it('the wire test server stays out of the package: nothing in harness/ imports testing/', () => {
    expect(imports.filter((i) => i.to.startsWith('..')).map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });
});

describe('the checker itself', () => {
  const rules: Rules = { allowed: { core: [], metrics: ['core'], reports: ['core', 'metrics'] } };

  it('finds a forbidden import with file and line', () => {
    const v = checkImports([{ from: 'metrics/a.ts', to: 'reports/b.ts', line: 3 }], rules);
    expect(v).toEqual([
      { kind: 'forbidden import', text: 'metrics/a.ts:3 imports reports/b.ts (metrics may import core)' },
    ]);
  });

  it('finds a circle between rooms even when each arrow is allowed', () => {
    const loose: Rules = { allowed: { a: ['b'], b: ['c'], c: ['a'], d: ['a'] } };
    const v = checkImports(
      [
        { from: 'a/x.ts', to: 'b/y.ts', line: 1 },
        { from: 'b/y.ts', to: 'c/z.ts', line: 1 },
        { from: 'c/z.ts', to: 'a/w.ts', line: 1 },
        { from: 'd/q.ts', to: 'a/x.ts', line: 1 },
      ],
      loose,
    );
    expect(v).toEqual([{ kind: 'cycle', text: 'rooms import each other: a <-> b <-> c' }]);
    expect(roomCycles([['a', 'b'], ['b', 'a'], ['c', 'd']])).toEqual([['a', 'b']]);
  });

  it('finds a loose file and an import leaving the root', () => {
    const v = checkImports([{ from: 'core/a.ts', to: '../testing/wire/x.ts', line: 7 }], rules, ['records.ts']);
    expect(v.map((x) => x.kind)).toEqual(['outside a room', 'leaves the source root']);
  });

  it('reads type imports, re-exports, dynamic imports and side-effect imports, not commented ones', () => {
    const src = [
      "import { a } from './a.js';",
      "import type {",
      "  B,",
      "} from '../b/b.js';",
      "export * from './c.js';",
      "export { d } from './d.js';",
      "// import { e } from './e.js';",
      "/* import { f } from './f.js'; */",
      "const g = await import('./g.js');",
      "import './h.js';",
      "const s = 'import { i } from \"./i.js\"'; // a string, not an import",
    ].join('\n');
    expect(specifiers(src)).toEqual([
      { spec: './a.js', line: 1 },
      { spec: '../b/b.js', line: 4 },
      { spec: './c.js', line: 5 },
      { spec: './d.js', line: 6 },
      { spec: './g.js', line: 9 },
      { spec: './h.js', line: 10 },
    ]);
    expect(stripComments('x /* a\nb */ y // z\nw').split('\n')).toHaveLength(3);
  });
});
