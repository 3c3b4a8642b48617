import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVariants } from '../../harness/scenarios/load-variants.js';
import { createProvider } from '../../harness/providers/registry.js';
import { writeReports } from '../../harness/reports/index.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { PROJECT } from '../helpers.js';
import { scriptedByVariant, WASTEFUL, CLEAN } from './waste-fixtures.js';

function rows(file: string): Record<string, string>[] {
  const [header = '', ...body] = readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  // No cell of these rows holds a comma or a quote except the last columns of sessions.csv, which are not read here.
  return body.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i] ?? '', v])));
}

describe('waste in the reports of a run with a wasteful scripted model', () => {
  let dir: string;

  beforeAll(async () => {
    const { variants } = loadVariants([join(PROJECT, 'prompts')]);
    const result = await runSuite({
      scenarios: loadScenariosOrThrow([join(PROJECT, 'scenarios', 'fan-out.yaml')]),
      variants,
      providers: [createProvider('ref:optimal'), scriptedByVariant({ plain: WASTEFUL, together: CLEAN })],
      repeats: 2,
      concurrency: 2,
      seed: 42,
      outDir: mkdtempSync(join(tmpdir(), 'batchbench-waste-')),
      runId: 'waste',
      modelLatencyMs: 800,
      maxTurns: 10,
    });
    dir = result.dir;
    await writeReports(dir);
  }, 30_000);

  it('sessions.csv: every waste column of the wasteful session, hand-computed', () => {
    const row = rows(join(dir, 'sessions.csv')).find((r) => r.provider === 'scripted:waste' && r.variant === 'plain' && r.repeat === '1');
    expect(row).toMatchObject({
      tool_calls: '8',
      batching_rate: '0.875',
      duplicate_calls: '2',
      unexpected_calls: '1',
      failed_calls: '2',
      recovered_calls: '1',
      unrecovered_calls: '1',
      wasted_turns: '1',
      wasted_input_tokens: '300',
      trajectory_precision: '0.5',
      trajectory_recall: '1',
      trajectory_check: '',
    });
    const optimal = rows(join(dir, 'sessions.csv')).filter((r) => r.provider === 'ref:optimal');
    expect(optimal).toHaveLength(4);
    for (const r of optimal) expect(r).toMatchObject({ duplicate_calls: '0', unexpected_calls: '0', failed_calls: '0', wasted_input_tokens: '0', trajectory_precision: '1', trajectory_recall: '1' });
  });

  it('summary.csv and variants.csv: means (and a degenerate interval) over the 2 repeats', () => {
    const summary = rows(join(dir, 'summary.csv')).find((r) => r.provider === 'scripted:waste' && r.variant === 'plain');
    expect(summary).toMatchObject({ mean_duplicate_calls: '2', mean_recovered_calls: '1', mean_wasted_turns: '1', mean_wasted_input_tokens: '300', mean_trajectory_precision: '0.5', mean_trajectory_recall: '1' });
    const variant = rows(join(dir, 'variants.csv')).find((r) => r.provider === 'scripted:waste' && r.variant === 'plain');
    expect(variant).toMatchObject({
      duplicate_calls_mean: '2',
      duplicate_calls_ci_low: '2',
      duplicate_calls_ci_high: '2',
      unexpected_calls_mean: '1',
      failed_calls_mean: '2',
      unrecovered_calls_mean: '1',
      wasted_input_tokens_mean: '300',
      trajectory_precision_mean: '0.5',
      trajectory_recall_mean: '1',
    });
  });

  it('comparison.csv: the clean variant against the wasteful baseline, paired', () => {
    const comparison = rows(join(dir, 'comparison.csv')).filter((r) => r.provider === 'scripted:waste' && r.variant === 'together');
    const by = (metric: string) => comparison.find((r) => r.metric === metric);
    expect(by('duplicate_calls')).toMatchObject({ pairs: '2', baseline_mean: '2', variant_mean: '0', difference: '-2' });
    expect(by('unexpected_calls')).toMatchObject({ baseline_mean: '1', variant_mean: '0', difference: '-1' });
    expect(by('failed_calls')).toMatchObject({ difference: '-2' });
    expect(by('unrecovered_calls')).toMatchObject({ difference: '-1' });
    expect(by('wasted_input_tokens')).toMatchObject({ baseline_mean: '300', variant_mean: '0', difference: '-300' });
    expect(by('trajectory_precision')).toMatchObject({ baseline_mean: '0.5', variant_mean: '1', difference: '0.5' });
    expect(by('trajectory_recall')).toMatchObject({ difference: '0' });
  });

  it('summary.md has a waste section with the means and paired differences', () => {
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('## Waste beside batching');
    expect(md).toContain('| duplicate calls | unexpected calls | failed calls | unrecovered failed calls | wasted input tokens | trajectory precision | trajectory recall |');
    expect(md).toContain('| plain | 2.00 | 1.00 | 2.00 | 1.00 | 300 | 50.0% | 100.0% |');
    expect(md).toMatch(/\| together \| 0\.00 \(Δ −2\.00[^|]*\) \| 0\.00 \(Δ −1\.00[^|]*\) \| 0\.00 \(Δ −2\.00[^|]*\) \| 0\.00 \(Δ −1\.00[^|]*\) \| 0\.0 \(Δ −300[^|]*\) \| 100\.0% \(Δ \+50\.0 pts[^|]*\) \| 100\.0% \(Δ ±0\.0 pts\) \|/);
  });

  it('report.html has the waste table and marks duplicate and unexpected calls in the drill-down', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Waste beside batching');
    expect(html).toContain('<th>Duplicate calls</th><th>Δ Duplicate calls</th>');
    // Each wasteful session shown: db of turn 2 repeats turn 1, cache of turn 3 repeats turn 2; service_health is unexpected.
    const sessions = html.split('<div class="session">').slice(1).filter((b) => b.includes('(scripted test provider) · plain'));
    expect(sessions).toHaveLength(2);
    for (const block of sessions) {
      expect(block).toContain('2 duplicate, 1 unexpected calls');
      expect(block.match(/duplicate of turn 1</g)).toHaveLength(1);
      expect(block.match(/duplicate of turn 2</g)).toHaveLength(1);
      expect(block.match(/class="call error unexpected"/g)).toHaveLength(1);
      expect(block.match(/>recovered</g)).toHaveLength(1);
    }
    const clean = html.split('<div class="session">').slice(1).filter((b) => b.includes('ref:optimal'));
    expect(clean.length).toBeGreaterThan(0);
    for (const block of clean) expect(block).not.toMatch(/duplicate of turn|class="call[^"]*unexpected/);
  });
});
