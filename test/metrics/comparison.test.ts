import { describe, expect, it } from 'vitest';
import { compareVariants, type PairableSession } from '../../harness/metrics/comparison.js';
import { COMPARE_METRICS, sessionFigures, type CompareMetric } from '../../harness/metrics/stat-metrics.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { DEFAULT_PRICES } from '../../harness/metrics/prices.js';
import { deriveSeed } from '../../harness/core/rng.js';
import { diamond, expectedFanOutToolTurns, fanOut, simulate, type Dag } from './synthetic-sessions.js';

const SCENARIOS: [string, Dag][] = [
  ['fan-out-4', fanOut(4)],
  ['diamond', diamond],
];

/** One synthetic run of a stochastic policy with probability p, as variant `variant`. */
function variantRun(p: number, variant: string, runSeed: number, repeats: number, scenarios = SCENARIOS): PairableSession[] {
  return scenarios.flatMap(([id, dag]) =>
    Array.from({ length: repeats }, (_, r) => {
      const s: SessionRecord = simulate({ name: 'stochastic', p }, dag, deriveSeed(runSeed, variant, id, r + 1), { variant, scenario: id, repeat: r + 1 });
      return { scenarioId: id, repeat: r + 1, figures: sessionFigures(s, dag, DEFAULT_PRICES['gpt-4o']) };
    }),
  );
}

const compare = (base: PairableSession[], other: PairableSession[], resamples: number, seed: number) =>
  compareVariants({ variantId: 'a', sessions: base }, [{ variantId: 'b', sessions: other }], { resamples, confidence: 0.95, seedFor: (v) => deriveSeed(seed, v) });

describe('compareVariants', () => {
  it('pairs by scenario and repeat and reports the mean paired difference', () => {
    const a = variantRun(0.2, 'a', 1, 10);
    const b = variantRun(0.8, 'b', 1, 10).slice(1); // one session without a partner
    const [c] = compare(a, b, 300, 5);
    expect(c?.pairs).toBe(19);
    expect(c?.unpaired).toBe(1);
    const pairsDiff = b.map((x) => x.figures.turns - (a.find((y) => y.scenarioId === x.scenarioId && y.repeat === x.repeat)?.figures.turns ?? 0));
    expect(c?.metrics.turns.difference).toBeCloseTo(pairsDiff.reduce((s, d) => s + d, 0) / 19, 12);
  });

  it('is reproducible with a fixed seed', () => {
    const a = variantRun(0.5, 'a', 2, 8);
    const b = variantRun(0.5, 'b', 2, 8);
    expect(compare(a, b, 400, 11)).toEqual(compare(a, b, 400, 11));
    expect(compare(a, b, 400, 11)).not.toEqual(compare(a, b, 400, 12));
  });

  it('covers the true difference in turns between p = 0.2 and p = 0.8 on a 4-way fan-out', () => {
    // E[tool turns] by the recursion in expectedFanOutToolTurns, worked by hand:
    //   p=0.2: T1=1, T2=1.8, T3=1+0.64*1.8+0.32*1=2.472, T4=1+0.512*2.472+0.384*1.8+0.096*1=3.052864
    //   p=0.8: T1=1, T2=1.2, T3=1+0.04*1.2+0.32*1=1.368, T4=1+0.008*1.368+0.096*1.2+0.384*1=1.510144
    // so the true difference is -1.54272 turns (the answer turn cancels).
    const truth = expectedFanOutToolTurns(4, 0.8) - expectedFanOutToolTurns(4, 0.2);
    expect(expectedFanOutToolTurns(4, 0.2)).toBeCloseTo(3.052864, 6);
    expect(expectedFanOutToolTurns(4, 0.8)).toBeCloseTo(1.510144, 6);
    const scenarios: [string, Dag][] = [['fan-out-4', fanOut(4)]];
    const a = variantRun(0.2, 'a', 3, 200, scenarios);
    const b = variantRun(0.8, 'b', 3, 200, scenarios);
    const turns = compare(a, b, 1000, 13)[0]?.metrics.turns;
    expect(turns?.lower).toBeLessThan(truth);
    expect(turns?.upper).toBeGreaterThan(truth);
    expect(turns?.significant).toBe(true);
  });

  it('calibration: identical variants are flagged in about 5% of 200 runs; p=0.2 vs p=0.8 in every run', () => {
    const runs = 200;
    const nullFlags = Object.fromEntries(COMPARE_METRICS.map((m) => [m, 0])) as Record<CompareMetric, number>;
    let altFlags = 0;
    for (let run = 0; run < runs; run++) {
      // 2 scenarios x 15 repeats = 30 pairs per run, as in a small real suite.
      const same = compare(variantRun(0.5, 'a', run, 15), variantRun(0.5, 'b', run, 15), 1000, run)[0];
      for (const m of COMPARE_METRICS) if (same?.metrics[m].significant) nullFlags[m] += 1;
      const high = compare(variantRun(0.2, 'a', run, 15), variantRun(0.8, 'b', run, 15), 1000, run)[0];
      if (high?.metrics.turns.significant && high.metrics.batchingRate.significant) altFlags += 1;
    }
    console.log('null flags per metric (of 200):', JSON.stringify(nullFlags));
    // Each metric at most 16 of 200 (8%, the top of the binomial(200, 0.05) 95% range), and over the
    // metrics that vary between sessions (tool calls, success and latency do not here) at most 5.5%.
    for (const m of COMPARE_METRICS) expect(nullFlags[m], m).toBeLessThanOrEqual(16);
    const varying = ['turns', 'overhead', 'avgToolsPerTurn', 'batchingRate', 'efficiencyScore', 'missedParallelCalls', 'inputTokens', 'outputTokens', 'cost'] as const;
    const share = varying.reduce((a, m) => a + nullFlags[m], 0) / (runs * varying.length);
    expect(share).toBeLessThanOrEqual(0.055);
    expect(altFlags).toBe(runs);
  });

  it('applies Holm across the variants compared', () => {
    const base = variantRun(0.2, 'a', 4, 10);
    const variants = ['b', 'c', 'd'].map((v) => ({ variantId: v, sessions: variantRun(v === 'b' ? 0.9 : 0.2, v, 4, 10) }));
    const out = compareVariants({ variantId: 'a', sessions: base }, variants, { resamples: 400, confidence: 0.95, seedFor: (v) => deriveSeed(9, v) });
    const turns = out.map((c) => c.metrics.turns);
    expect(turns[0]?.significant).toBe(true);
    for (const t of turns) expect(t.pHolm).toBeGreaterThanOrEqual(t.p);
  });
});
