import { describe, expect, it } from 'vitest';
import { compareVariants, type PairableSession } from '../../harness/metrics/comparison.js';
import { normalCdf, normalQuantile } from '../../harness/metrics/distributions.js';
import { DEFAULT_PRICES } from '../../harness/metrics/prices.js';
import { sessionFigures, type CompareMetric } from '../../harness/metrics/stat-metrics.js';
import { deriveSeed } from '../../harness/core/rng.js';
import { diamond, fanOut, simulate, type Dag } from './synthetic-sessions.js';

/**
 * Opt-in (BATCHBENCH_SIM=1 npx vitest run test/metrics/power-calibration.test.ts):
 * 200 seeded runs of the stochastic policy at p = 0.5 against p = 0.6, with
 * independent draws per arm as a real model's would be. Per run, the power the
 * run predicts for the true change (normal approximation from its own se,
 * metrics/power.ts) against how often the change is flagged. The truth is the
 * mean difference over all runs. Figures go to bench/RESULTS.md.
 */
const RUNS = 200;
const REPEATS = 25;
const SCENARIOS: [string, Dag][] = [
  ['fan-out-4', fanOut(4)],
  ['fan-out-3', fanOut(3)],
  ['fan-out-2', fanOut(2)],
  ['diamond', diamond],
];

function arm(p: number, variant: string, runSeed: number): PairableSession[] {
  return SCENARIOS.flatMap(([id, dag]) =>
    Array.from({ length: REPEATS }, (_, r) => ({
      scenarioId: id,
      repeat: r + 1,
      figures: sessionFigures(simulate({ name: 'stochastic', p }, dag, deriveSeed(runSeed, variant, id, r + 1), { variant, scenario: id, repeat: r + 1 }), dag, DEFAULT_PRICES['gpt-4o']),
    })),
  );
}

describe.skipIf(process.env['BATCHBENCH_SIM'] !== '1')('power calibration (opt-in simulation)', () => {
  it('predicted power is within 10 points of the observed flag rate for turns and batching rate', () => {
    const metrics: CompareMetric[] = ['turns', 'batchingRate'];
    const results = Array.from({ length: RUNS }, (_, run) => {
      const [c] = compareVariants({ variantId: 'a', sessions: arm(0.5, 'a', run) }, [{ variantId: 'b', sessions: arm(0.6, 'b', run) }], {
        resamples: 400,
        confidence: 0.95,
        seedFor: (v) => deriveSeed(run, 'boot', v),
      });
      if (!c) throw new Error('no comparison');
      return c;
    });
    const z = normalQuantile(0.975);
    const lines: string[] = [];
    for (const m of metrics) {
      const truth = results.reduce((s, c) => s + c.metrics[m].difference, 0) / RUNS;
      const observed = results.filter((c) => c.metrics[m].significant).length / RUNS;
      const predicted =
        results.reduce((s, c) => {
          const se = c.metrics[m].se ?? Number.NaN;
          return s + normalCdf(Math.abs(truth) / se - z) + normalCdf(-Math.abs(truth) / se - z);
        }, 0) / RUNS;
      lines.push(`${m}: true change ${truth.toFixed(4)}, predicted power ${(predicted * 100).toFixed(1)}%, observed ${(observed * 100).toFixed(1)}%`);
      expect(Math.abs(predicted - observed)).toBeLessThan(0.1);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }, 120_000);
});
