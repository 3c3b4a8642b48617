import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../harness/reports/index.js';
import { fixtureRun } from './report-fixtures.js';

/** Reference policies report no usage: every token count, cost, difference and verdict built on them is an estimate and says so. */
describe('estimate mark on every figure resting on the tokenizer', () => {
  let dir: string;
  let summary: string;
  beforeAll(async () => {
    dir = await fixtureRun({ providers: ['ref:sequential', 'ref:optimal'], repeats: 2 });
    await writeReports(dir, ['markdown', 'stats-csv', 'html']);
    summary = readFileSync(join(dir, 'summary.md'), 'utf8');
  });

  it('summary.md: token and cost cells, their Δ cells, the verdict and the token-growth sentence carry *', () => {
    const row = (summary.split('\n').find((l) => l.startsWith('| together |')) ?? '').split(' | ');
    expect(row[10]).toMatch(/^[\d,.]+\*$/); // input tokens
    expect(row[11]).toMatch(/^\+[\d,.]+\* \(/); // Δ input tokens
    expect(row[12]).toMatch(/^\$[\d.]+\*$/); // cost / session
    expect(row[13]).toMatch(/^\+\$[\d.]+\* \(/); // Δ cost
    // Turns rest on no tokenizer: no mark.
    expect(row[7]).toBe('±0.00 (±0.00 to ±0.00)');
    const verdict = summary.split('\n').find((l) => l.startsWith('- ref:sequential (reference policy): together vs plain')) ?? '';
    expect(verdict).toMatch(/adds input tokens by [\d.]+% \(\+[\d,.]+\*, 95% CI/);
    expect(verdict).toMatch(/adds cost by [\d.]+% \(\+\$[\d.]+\*, 95% CI/);
    expect(summary).toMatch(/Token growth: the sequential reference policy re-sends its history for [\d,]+\* input tokens per session on average; the optimal batching policy needs [\d,]+\* \(/);
    expect(summary).toContain('So are the costs, differences and verdicts computed from them');
  });

  it('comparison.csv: an estimated column, true for token and cost metrics, false for the rest', () => {
    const rows = parse(readFileSync(join(dir, 'comparison.csv')), { columns: true }) as Record<string, string>[];
    const estimated = new Set(rows.filter((r) => r['estimated'] === 'true').map((r) => r['metric']));
    expect(estimated).toEqual(new Set(['input_tokens', 'output_tokens', 'cached_input_tokens', 'cost', 'wasted_input_tokens']));
    expect(rows.filter((r) => r['metric'] === 'turns').every((r) => r['estimated'] === 'false')).toBe(true);
  });

  it('report.html: the Δ cells of tokens and cost and the token-growth sentence carry *', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/<div class="delta">Δ \+[\d,.]+\* <span class="ci">\+[\d.]+%<\/span>/);
    expect(html).toMatch(/the sequential reference policy sends [\d,]+\* input tokens/);
  });
});
