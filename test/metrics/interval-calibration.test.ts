import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../harness/metrics/prices.js';
import { sessionFigures } from '../../harness/metrics/stat-metrics.js';
import { variantStats } from '../../harness/metrics/variant-stats.js';
import { deriveSeed } from '../../harness/core/rng.js';
import { expectedFanOutToolTurns, fanOut, simulate } from './synthetic-sessions.js';

/**
 * Opt-in (BATCHBENCH_SIM=1 npx vitest run test/metrics/interval-calibration.test.ts):
 * coverage of the per-variant 95% interval of mean turns for the fixed suite.
 * 400 seeded runs of the stochastic policy (p = 0.5) on fan-outs of 2 to 7 calls,
 * 3 repeats each as in the default run; the truth, exact, is the mean over the
 * six tasks of 1 + E[tool turns] (expectedFanOutToolTurns). Figures go to bench/RESULTS.md.
 */
const RUNS = 1000;
const WIDTHS = [2, 3, 4, 5, 6, 7];
const REPEATS = 3;
const P = 0.5;

describe.skipIf(process.env['BATCHBENCH_SIM'] !== '1')('per-variant interval calibration (opt-in simulation)', () => {
  it('the 95% interval of mean turns covers the suite mean 93-97% of the time; drawing sessions as one population over-covers', () => {
    const truth = WIDTHS.reduce((s, w) => s + 1 + expectedFanOutToolTurns(w, P), 0) / WIDTHS.length;
    let covered = 0;
    let coveredTasks = 0;
    for (let run = 0; run < RUNS; run++) {
      const sessions = WIDTHS.flatMap((w) =>
        Array.from({ length: REPEATS }, (_, r) => simulate({ name: 'stochastic', p: P }, fanOut(w), deriveSeed(run, w, r + 1), { variant: 'v', scenario: `fan-${w}`, repeat: r + 1 })),
      );
      const input = { providerId: 'p', providerKind: 'reference', variantId: 'v', strategy: 'loop', sessions, figures: sessions.map((s, i) => sessionFigures(s, fanOut(WIDTHS[Math.floor(i / REPEATS)] as number), DEFAULT_PRICES['gpt-4o'])), price: undefined };
      const suite = variantStats(input, { resamples: 1000, seed: run, confidence: 0.95 }).stats.turns;
      if (suite.lower <= truth && truth <= suite.upper) covered += 1;
      const tasks = variantStats(input, { resamples: 1000, seed: run, confidence: 0.95, generalize: true }).stats.turns;
      if (tasks.lower <= truth && truth <= tasks.upper) coveredTasks += 1;
    }
    process.stdout.write(`truth ${truth.toFixed(4)}; coverage for the suite ${(covered / RUNS * 100).toFixed(1)}%, with --generalize tasks ${(coveredTasks / RUNS * 100).toFixed(1)}%\n`);
    expect(covered / RUNS).toBeGreaterThanOrEqual(0.93);
    expect(covered / RUNS).toBeLessThanOrEqual(0.97);
  }, 300_000);
});
