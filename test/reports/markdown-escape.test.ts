import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { md, mdCode } from '../../harness/reports/markdown-escape.js';
import { cli, fixtureRun, tempDir } from '../cli/helpers.js';

const EVIL_PROVIDER = 'openai:<img src=x onerror=alert(1)>|x';
const EVIL_VARIANT = 'to|ge`ther` \\|[y](javascript:z)';
const EVIL_RUN_ID = 'night`<b>x</b>';

/** Cells of a GFM table row: split on `|` not escaped by a backslash. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === '\\' && i + 1 < line.length) {
      cur += ch + (line[i + 1] as string);
      i++;
    } else if (ch === '|') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.slice(1, -1);
}

/** Every table in `text` keeps its header's column count on every row. */
function tableShapes(text: string): { header: number; rows: number[] }[] {
  const tables: { header: number; rows: number[] }[] = [];
  let current: { header: number; rows: number[] } | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { header: cells(line).length, rows: [] };
      tables.push(current);
    } else current.rows.push(cells(line).length);
  }
  return tables;
}

/** Replaces every string value equal to or containing `from` in a JSON value. */
function replaceDeep(value: unknown, swaps: readonly [string, string][]): unknown {
  if (typeof value === 'string') return swaps.reduce((s, [from, to]) => s.split(from).join(to), value);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, swaps));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, swaps)]));
  return value;
}

/** Rewrites a run's files so its provider, variant and run id carry markup. */
function poison(dir: string, provider: string, runId: string): void {
  const swaps: [string, string][] = [
    [provider, EVIL_PROVIDER],
    ['together', EVIL_VARIANT],
  ];
  const manifest = replaceDeep(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')), swaps) as { runId: string };
  manifest.runId = runId;
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest));
  const lines = readFileSync(join(dir, 'sessions.jsonl'), 'utf8').trim().split('\n');
  writeFileSync(join(dir, 'sessions.jsonl'), `${lines.map((l) => JSON.stringify(replaceDeep(JSON.parse(l), swaps))).join('\n')}\n`);
}

function expectSafe(text: string): void {
  expect(text).not.toMatch(/<(img|b|script)\b/i);
  expect(text).not.toMatch(/(^|[^\\])\]\(javascript:/);
  const shapes = tableShapes(text);
  expect(shapes.length).toBeGreaterThan(0);
  for (const t of shapes) for (const n of t.rows) expect(n).toBe(t.header);
}

describe('markdown escaping of user-given text', () => {
  it('md escapes tags, entities, pipes, backslashes, backticks, brackets and line breaks', () => {
    expect(md(EVIL_PROVIDER)).toBe('openai:&lt;img src=x onerror=alert(1)>\\|x');
    expect(md(EVIL_VARIANT)).toBe('to\\|ge\\`ther\\` \\\\\\|\\[y\\](javascript:z)');
    expect(md('a &amp; b\r\nc')).toBe('a &amp;amp; b c');
    expect(cells(`| ${md('x\\|y')} | z |`)).toEqual([' x\\\\\\|y ', ' z ']);
    expect(mdCode('night-42')).toBe('`night-42`');
    expect(mdCode(EVIL_RUN_ID)).toBe('night\\`&lt;b>x&lt;/b>');
  });

  describe('summary.md, compare.md and budget.md of runs whose ids carry markup', () => {
    let out: string;
    beforeAll(async () => {
      out = tempDir('md-escape');
      for (const [id, provider] of [['base', 'ref:stochastic:0.9'], ['cand', 'ref:stochastic:0.1']] as const) {
        const r = await fixtureRun(out, id, ['--provider', provider, '--repeats', '6', '--seed', '3']);
        expect(r.code).toBe(0);
        poison(r.dir, provider, id === 'base' ? EVIL_RUN_ID : 'cand');
      }
    });

    it('summary.md keeps its columns and holds no raw tag', async () => {
      expect((await cli(['report', join(out, 'cand')])).code).toBe(0);
      const text = readFileSync(join(out, 'cand', 'summary.md'), 'utf8');
      expectSafe(text);
      expect(text).toContain('openai:&lt;img src=x onerror=alert(1)>\\|x');
    });

    it('budget.md keeps its columns and holds no raw tag', async () => {
      expect((await cli(['budget', join(out, 'base')])).code).toBe(0);
      const text = readFileSync(join(out, 'base', 'budget.md'), 'utf8');
      expectSafe(text);
      expect(text).toContain('# Round-trip budgets: run night\\`&lt;b>x&lt;/b>');
      expect(text).toContain('| openai:&lt;img src=x onerror=alert(1)>\\|x | to\\|ge\\`ther\\` \\\\\\|\\[y\\](javascript:z) | loop | (all) |');
    });

    it('compare.md keeps its columns and holds no raw tag, in tables, headings and the failed-gate list', async () => {
      const cmp = join(out, 'cmp');
      const r = await cli(['compare', join(out, 'base'), join(out, 'cand'), '--out', cmp]);
      expect(r.code).toBe(1);
      const text = readFileSync(join(cmp, 'compare.md'), 'utf8');
      // The layout's own folds (<details><summary><b>group</b>: ...) are the only tags; user text inside them is HTML-escaped.
      expectSafe(text.replace(/<summary><b>|<\/b>: /g, ''));
      const group = 'openai:&lt;img src=x onerror=alert(1)>\\|x (reference policy) / to\\|ge\\`ther\\` \\\\\\|\\[y\\](javascript:z)';
      expect(text).toContain('<summary><b>openai:&lt;img src=x onerror=alert(1)&gt;|x (reference policy) / to|ge`ther` \\|&#91;y&#93;(javascript:z)</b>: ');
      expect(text).toContain(`| ${group} | batching_rate may not drop by more than 5.0 pts |`);
      expect(text).toMatch(new RegExp(`^- ${group.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: batching_rate fell`, 'm'));
      expect(text).toContain('Baseline night\\`&lt;b>x&lt;/b> (started');
      expect(text).toContain('against candidate `cand` (started');
    });
  });
});
