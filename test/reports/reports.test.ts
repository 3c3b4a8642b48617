import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { UsageError } from '../../harness/core/errors.js';
import { writeReports } from '../../harness/reports/index.js';
import { md } from '../../harness/reports/markdown-reporter.js';
import { loadPriceFile } from '../../harness/config/price-file.js';
import { resolveAnalysisOptions } from '../../harness/config/report-options.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { captureIO } from '../helpers.js';
import { EVIL, fixtureRun } from './report-fixtures.js';

/** Reads a CSV file written by the reporters (RFC 4180 quoting) into objects keyed by the header. */
function rows(file: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const text = readFileSync(file, 'utf8');
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  const [header = [], ...body] = records;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

describe('reports of a run of the reference policies', () => {
  let dir: string;
  let files: string[];

  beforeAll(async () => {
    dir = await fixtureRun({ evil: true });
    files = await writeReports(dir);
  }, 60_000);

  it('writes every report beside the run file', () => {
    for (const f of ['sessions.csv', 'turns.csv', 'summary.csv', 'variants.csv', 'comparison.csv', 'summary.md', 'report.html']) expect(files).toContain(join(dir, f));
  });

  it('report.html is one small file with no external URL and escaped hostile text', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(statSync(join(dir, 'report.html')).size).toBeLessThan(3 * 1024 * 1024);
    // (booleans, so a failure does not print the whole page)
    expect(/https?:\/\//i.test(html), 'a web address').toBe(false);
    expect(/<[a-z][^>]*\s(src|href)\s*=\s*(?!["']?#)/i.test(html), 'a src or href that is not a fragment').toBe(false);
    expect(html.includes('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; &lt;/script&gt;&lt;script&gt;'), 'escaped hostile text').toBe(true);
    expect(html.includes(EVIL), 'raw hostile text').toBe(false);
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.includes('Content-Security-Policy')).toBe(true);
  });

  it('labels every reference policy as one', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    for (const id of ['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal']) {
      expect(summary).toContain(`## ${id} (reference policy)`);
      expect(html).toContain(`${id} (reference policy)`);
    }
    expect(summary).toContain('This run has no model results');
    expect(summary).not.toMatch(/<img|<\/script/);
  });

  it('variants.csv has a row per provider x variant with intervals; comparison.csv a row per metric', () => {
    const variants = rows(join(dir, 'variants.csv'));
    expect(variants).toHaveLength(6);
    const seq = variants.find((r) => r.provider === 'ref:sequential' && r.variant === 'plain');
    expect(seq?.band).toBe('poor');
    expect(seq?.batching_rate_mean).toBe('0');
    expect(Number(seq?.turns_ci_low)).toBeLessThanOrEqual(Number(seq?.turns_mean));
    expect(Number(seq?.turns_ci_high)).toBeGreaterThanOrEqual(Number(seq?.turns_mean));
    const comparison = rows(join(dir, 'comparison.csv'));
    expect(comparison).toHaveLength(3 * 21);
    const turns = comparison.find((r) => r.provider === 'ref:sequential' && r.metric === 'turns');
    // The sequential policy ignores the prompt: every pair has the same turns.
    expect(turns).toMatchObject({ variant: 'together', baseline: 'plain', difference: '0', ci_low: '0', ci_high: '0', significant: 'false' });
  });

  it('regenerates from the run file alone with another baseline and price model', async () => {
    const io = captureIO();
    const code = await main(['report', dir, '--baseline', 'together', '--price-model', 'claude-haiku-4-5'], io);
    expect(code).toBe(0);
    const comparison = rows(join(dir, 'comparison.csv'));
    expect(new Set(comparison.map((r) => r.baseline))).toEqual(new Set(['together']));
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('claude-haiku-4-5 prices');
  });

  it('refuses an unknown baseline or price model, naming the choices', async () => {
    const io = captureIO();
    expect(await main(['report', dir, '--baseline', 'nope'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('its variants are: plain, together');
    expect(() => resolveAnalysisOptions(readRun(dir), { priceModel: 'gpt-0' })).toThrow(UsageError);
  });
});

describe('CSV formula injection', () => {
  it('neutralises text cells that a spreadsheet would run, and leaves negative numbers alone', async () => {
    const dir = await fixtureRun({ providers: ['ref:stochastic:0.5'], repeats: 2 });
    const hostile = '=HYPERLINK("x","y")';
    const manifestFile = join(dir, 'run.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { config: { variants: string[] }; variants: { id: string }[] };
    manifest.config.variants = manifest.config.variants.map((v) => (v === 'together' ? hostile : v));
    for (const v of manifest.variants) if (v.id === 'together') v.id = hostile;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const sessionsFile = join(dir, 'sessions.jsonl');
    const lines = readFileSync(sessionsFile, 'utf8').trim().split('\n').map((l) => {
      const s = JSON.parse(l) as { variantId: string; key: string };
      if (s.variantId === 'together') {
        s.variantId = hostile;
        s.key = s.key.replace('|together|', `|${hostile}|`);
      }
      return JSON.stringify(s);
    });
    writeFileSync(sessionsFile, `${lines.join('\n')}\n`);
    // The hostile variant as the baseline: its longer prompt makes plain's token differences negative
    // (the reference policy draws the same random numbers under both variants, so only tokens differ).
    await writeReports(dir, ['stats-csv'], { baseline: hostile });
    const variants = rows(join(dir, 'variants.csv'));
    expect(variants.map((r) => r.variant)).toEqual(['plain', `'${hostile}`]);
    const comparison = rows(join(dir, 'comparison.csv'));
    expect(new Set(comparison.map((r) => r.variant))).toEqual(new Set(['plain']));
    expect(new Set(comparison.map((r) => r.baseline))).toEqual(new Set([`'${hostile}`]));
    expect(comparison.some((r) => r.difference?.startsWith('-'))).toBe(true);
  });
});

describe('price file', () => {
  it('adds and overrides models, and names the file and field of a mistake', async () => {
    const dir = await fixtureRun({ providers: ['ref:optimal'], repeats: 1 });
    const file = join(dir, 'prices.yaml');
    writeFileSync(file, 'models:\n  my-model: { input: 1, cached_input: 0.1, output: 2, as_of: 2026-11-01 }\n  gpt-4o: { input: 5, output: 20, as_of: 2026-11-01 }\n');
    const table = loadPriceFile(file);
    expect(table['my-model']).toMatchObject({ input: 1, cachedInput: 0.1, output: 2, asOf: '2026-11-01', aliases: [] });
    expect(table['my-model']?.source).toMatch(/^price file .*\.yaml$/);
    expect(table['gpt-4o']).toMatchObject({ input: 5, cachedInput: 5, output: 20, asOf: '2026-11-01' });
    expect(table['gpt-4.1']?.input).toBe(2);
    writeFileSync(file, 'models:\n  my-model: { input: -1, output: 2, as_of: yesterday }\n');
    expect(() => loadPriceFile(file)).toThrow(/prices\.yaml: models\.my-model\.input/);
  });
});

describe('markdown escaping', () => {
  it('keeps cells inside the table and markup out', () => {
    expect(md('a|b <img> `x`\nnext')).toBe('a\\|b &lt;img> \\`x\\` next');
  });
});
