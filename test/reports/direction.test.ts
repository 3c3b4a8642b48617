import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { writeReports } from '../../harness/reports/index.js';
import { fixtureRun } from './report-fixtures.js';

/**
 * Every flagged change says which way it goes, in words and symbol, by the
 * metric's direction: the `together` prompt is longer than `plain`, so under
 * any reference policy it adds input tokens (worse) and changes nothing else;
 * `ref:optimal` against `ref:sequential` cuts round-trips and tokens (better).
 */
describe('direction of a flagged change in words', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fixtureRun({ providers: ['ref:sequential', 'ref:optimal'], repeats: 2 });
  });

  it('summary.md: a longer prompt adds input tokens "✗ worse" in the Δ cell and the verdict; round-trips unchanged carry no mark', async () => {
    await writeReports(dir, ['markdown']);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    const verdict = summary.split('\n').find((l) => l.startsWith('- ref:optimal (reference policy): together vs plain')) ?? '';
    expect(verdict).toMatch(/adds input tokens by [\d.]+% \(\+[\d,.]+\*?, 95% CI [^)]+\) ✗ worse/);
    expect(verdict).not.toContain('✓ better');
    const row = summary.split('\n').find((l) => l.startsWith('| together |')) ?? '';
    const cells = row.split(' | ');
    // Δ turns (identical in every pair): no mark; Δ input tokens and Δ cost: worse.
    expect(cells[7]).toBe('±0.00 (±0.00 to ±0.00)');
    expect(cells[11]).toMatch(/\*\*✗ worse\*\*$/);
    expect(cells[13]).toMatch(/\*\*✗ worse\*\*$/);
    // Relative to the task: ref:sequential batches nothing it could (0%), poor.
    expect(cells.slice(14)).toEqual(['0.0%', 'poor |']);
    expect(summary).toContain('✓ better / ✗ worse say which way a real change goes');
    // Reference policies: no latency to measure, so no latency line.
    expect(summary).not.toContain('Latency per session, measured');
  });

  it('summary.md comparing models: the optimal policy cuts input tokens and raises batching "✓ better"', async () => {
    await writeReports(dir, ['markdown', 'stats-csv'], { compareBy: 'models' });
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    const verdict = summary.split('\n').find((l) => l.startsWith('- plain: ref:optimal (reference policy) vs ref:sequential')) ?? '';
    expect(verdict).toMatch(/cuts input tokens by [\d.]+% \(−[\d,.]+\*?, 95% CI [^)]+\) ✓ better/);
    expect(verdict).toMatch(/raises the batching rate by [\d.]+ pts \([^)]+\) ✓ better/);
    expect(verdict).not.toContain('✗ worse');
    // Unflagged: what the run could have detected with 80% power. Turn differences optimal − sequential over the 6 pairs:
    // chain 0, 0; diamond −1, −1; fan-out −3, −3: sd = √(84/9 / 5) = 1.3663, se = sd/√6 = 0.5578, × (1.95996 + 0.84162) = 1.5627.
    expect(verdict).toContain('no clear change in round-trips (could detect ≥ 1.56)');
    const rows = parse(readFileSync(join(dir, 'comparison.csv')), { columns: true }) as Record<string, string>[];
    const turns = rows.find((r) => r['metric'] === 'turns' && r['variant'] === 'plain') ?? {};
    expect(Number(turns['detectable_change'])).toBeCloseTo(2.801585 * Math.sqrt(84 / 9 / 5) / Math.sqrt(6), 4);
    expect(turns['holm_family']).toBe('1');
  });
});
