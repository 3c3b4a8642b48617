import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { holmAdjust } from '../../harness/metrics/holm.js';
import { writeReports } from '../../harness/reports/index.js';
import { cli } from '../cli/helpers.js';
import { fixtureRun } from '../reports/report-fixtures.js';

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file), { columns: true }) as Row[];
const VERDICT = new Set(['turns', 'input_tokens', 'cost', 'batching_rate', 'success']);

describe("Holm's family scope", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fixtureRun({ providers: ['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal'], repeats: 2 });
  });

  it('the default family is per group and metric, and the reports name it', async () => {
    await writeReports(dir, ['markdown', 'stats-csv', 'html'], { compareBy: 'models' });
    const rows = csv(join(dir, 'comparison.csv')).filter((r) => r['metric'] === 'turns' && r['variant'] === 'plain');
    // Two models compared with ref:sequential under plain: one family of 2.
    expect(rows.map((r) => Number(r['p_holm']))).toEqual(holmAdjust(rows.map((r) => Number(r['p_value']))));
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain("Holm's family (--holm-scope metric, the default): per variant and metric, the models compared with the baseline");
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Holm&#39;s family (--holm-scope metric, the default)');
  });

  it('--holm-scope all corrects every verdict metric of every arm at once: p_holm is Holm over all of them', async () => {
    const r = await cli(['report', dir, '--compare-by', 'models', '--holm-scope', 'all']);
    expect(r.code, r.err).toBe(0);
    const all = csv(join(dir, 'comparison.csv'));
    const family = all.filter((x) => VERDICT.has(x['metric'] ?? ''));
    // 2 variants x 2 models compared x 5 verdict metrics.
    expect(family).toHaveLength(20);
    const adjusted = holmAdjust(family.map((x) => Number(x['p_value'])));
    expect(family.map((x) => Number(x['p_holm']))).toEqual(adjusted);
    expect(family.map((x) => x['significant'])).toEqual(adjusted.map((p) => String(p < 0.05)));
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain("Holm's family (--holm-scope all): every verdict metric (turns, inputTokens, cost, batchingRate, success) of every model compared, 20 tests at once.");
    const bad = await cli(['report', dir, '--holm-scope', 'everything']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--holm-scope must be one of metric, all');
  });
});
