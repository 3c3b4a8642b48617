import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVariants } from '../../harness/scenarios/load-variants.js';
import { GATE_METRICS } from '../../harness/metrics/gates.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { PROJECT } from '../helpers.js';
import { CLEAN, scriptedByVariant, WASTEFUL } from '../reports/waste-fixtures.js';
import { cli, tempDir } from '../cli/helpers.js';

/** One run of `scripted:waste` on the fan-out fixture, variant `plain`, 16 repeats, playing `script`. */
async function scriptedRun(out: string, runId: string, script: typeof CLEAN): Promise<string> {
  const { variants } = loadVariants([join(PROJECT, 'prompts')]);
  const result = await runSuite({
    scenarios: loadScenariosOrThrow([join(PROJECT, 'scenarios', 'fan-out.yaml')]),
    variants: variants.filter((v) => v.id === 'plain'),
    providers: [scriptedByVariant({ plain: script })],
    repeats: 16,
    concurrency: 4,
    seed: 5,
    outDir: out,
    runId,
    modelLatencyMs: 800,
    maxTurns: 10,
  });
  return result.dir;
}

describe('compare gates on the waste and trajectory metrics', () => {
  let out: string;
  let clean: string;
  let wasteful: string;
  beforeAll(async () => {
    out = tempDir('waste-gates');
    clean = await scriptedRun(out, 'clean', CLEAN);
    wasteful = await scriptedRun(out, 'wasteful', WASTEFUL);
  }, 30_000);

  it('every new metric is a gate name', () => {
    expect(GATE_METRICS).toMatchObject({
      duplicate_calls: 'duplicateCalls',
      unexpected_calls: 'unexpectedCalls',
      failed_calls: 'failedCalls',
      unrecovered_calls: 'unrecoveredCalls',
      wasted_input_tokens: 'wastedInputTokens',
      trajectory_precision: 'trajectoryPrecision',
      trajectory_recall: 'trajectoryRecall',
    });
  });

  it('a candidate that wastes calls fails each waste gate and passes recall; the reverse passes every gate', async () => {
    const gates = join(out, 'gates.yaml');
    writeFileSync(
      gates,
      [
        'gates:',
        '  duplicate_calls: { max_rise: 0 }',
        '  unexpected_calls: { max_rise: 0.5 }',
        '  failed_calls: { max_rise: 0 }',
        '  unrecovered_calls: { max_rise: 0 }',
        '  wasted_input_tokens: { max_rise: 10% }',
        '  trajectory_precision: { max_drop: 0.05 }',
        '  trajectory_recall: { max_drop: 0 }',
        '',
      ].join('\n'),
    );
    const worse = await cli(['compare', clean, wasteful, '--gates', gates, '--out', join(out, 'cmp-worse')]);
    expect(worse.code).toBe(1);
    expect(worse.out).toMatch(/^REGRESSION: 6 of 8 gate\(s\) failed/);
    // Per pair: duplicates 0 -> 2, unexpected 0 -> 1, failed 0 -> 2, unrecovered 0 -> 1, wasted input tokens 0 -> 300, precision 100% -> 50%.
    expect(worse.out).toMatch(/FAIL {2}duplicate_calls rose 2\.00: 0\.00 -> 2\.00 over 16 pairs, 95% CI \+2\.00 to \+2\.00/);
    expect(worse.out).toMatch(/FAIL {2}wasted_input_tokens rose 300: 0\.0 -> 300 over 16 pairs/);
    expect(worse.out).toMatch(/FAIL {2}trajectory_precision fell 50\.0 pts \(−50\.0%\): 100\.0% -> 50\.0% over 16 pairs/);
    expect(worse.out).toMatch(/pass {2}trajectory_recall did not change: 100\.0% -> 100\.0% over 16 pairs/);
    const md = readFileSync(join(out, 'cmp-worse', 'compare.md'), 'utf8');
    expect(md).toMatch(/\| Duplicate calls \| 0\.00 \| 2\.00 \| \+2\.00/);
    expect(md).toMatch(/\| Trajectory precision \| 100\.0% \| 50\.0% \| −50\.0 pts/);
    const better = await cli(['compare', wasteful, clean, '--gates', gates, '--out', join(out, 'cmp-better')]);
    expect(better.code).toBe(0);
    expect(better.out).toContain('PASS: all 8 gate(s) passed');
  });
});
