import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../harness/metrics/prices.js';
import { analyseRun } from '../../harness/metrics/run-analysis.js';
import type { RunManifest, SessionRecord } from '../../harness/core/run-file/records.js';
import { call, fanOut, session, turn } from './synthetic-sessions.js';

const dag = fanOut(4);
const manifest = {
  formatVersion: 2,
  runId: 'hand',
  tool: { name: 'batchbench', version: '0' },
  config: { providers: [{ id: 'ref:sequential', kind: 'reference' }, { id: 'ref:optimal', kind: 'reference' }], variants: ['plain', 'together'], scenarios: ['fan'], repeats: 2, concurrency: 1, seed: 1, modelLatencyMs: 0, maxTurns: 10 },
  scenarios: [{ id: 'fan', title: 'Fan-out', domain: 'd', shape: 'fan-out', difficulty: 'easy', tags: [], file: 'fan.yaml', hash: 'x', optimalTurns: 2, widths: [4], dag }],
  variants: [],
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: null,
  state: 'finished',
  sessionsPlanned: 8,
  sessionsWritten: 8,
} as unknown as RunManifest;

/** One call per turn (5 turns) or all four at once (2 turns); input 100, 150, 200, ... per turn. */
const sequential = (variant: string, repeat: number): SessionRecord =>
  session({ provider: 'ref:sequential', variant, scenario: 'fan', repeat, optimalTurns: 2, turns: [...['n1', 'n2', 'n3', 'n4'].map((n, i) => turn(i + 1, [call(n, 'lookup', n)], 100 + 50 * i)), turn(5, [], 300)] });
const optimal = (variant: string, repeat: number): SessionRecord =>
  session({ provider: 'ref:optimal', variant, scenario: 'fan', repeat, optimalTurns: 2, turns: [turn(1, ['n1', 'n2', 'n3', 'n4'].map((n) => call(n, 'lookup', n)), 100), turn(2, [], 300)] });

describe('analyseRun', () => {
  const sessions = [sequential('plain', 1), sequential('plain', 2), sequential('together', 1), sequential('together', 2), optimal('plain', 1), optimal('plain', 2), optimal('together', 1), { ...optimal('together', 2), status: 'failed' as const }];
  const a = analyseRun({ manifest, sessions }, { resamples: 200, prices: DEFAULT_PRICES, priceModel: 'gpt-4o' });

  it('groups by provider and variant and compares with the first variant', () => {
    expect(a.baseline).toBe('plain');
    expect(a.providers.map((p) => [p.id, p.variants.map((v) => v.variantId)])).toEqual([
      ['ref:sequential', ['plain', 'together']],
      ['ref:optimal', ['plain', 'together']],
    ]);
    expect(a.compareBy).toBe('variants');
    expect(a.groups.map((g) => [g.id, g.comparisons.map((c) => `${c.providerId}/${c.variantId} vs ${c.baselineId}: ${c.pairs} pairs`)])).toEqual([
      ['ref:sequential', ['ref:sequential/together vs plain: 2 pairs']],
      ['ref:optimal', ['ref:optimal/together vs plain: 2 pairs']],
    ]);
  });

  it('computes the per-variant figures by hand', () => {
    const seq = a.providers[0]?.variants[0];
    // 5 turns, overhead 3, 3 missed-parallel calls, batching 0, input 100+150+200+250+300 = 1,000.
    expect(seq?.stats.turns.mean).toBe(5);
    expect(seq?.stats.overhead.mean).toBe(3);
    expect(seq?.stats.missedParallelCalls.mean).toBe(3);
    expect(seq?.stats.inputTokens.mean).toBe(1000);
    expect(seq?.band).toBe('poor');
    // 1,000 input + 5 x 20 output at gpt-4o: (1,000 x 2.5 + 100 x 10) / 1e6 = $0.0035.
    expect(seq?.stats.cost.mean).toBeCloseTo(0.0035, 12);
    expect(seq?.tokenCurve).toEqual([100, 250, 450, 700, 1000]);
    const opt = a.providers[1]?.variants[0];
    // one batch of 4 tools: batching rate 100% with 4 tools per turn -> excellent
    expect(opt?.band).toBe('excellent');
    expect(a.optimalCurve).toEqual([100, 400]);
    // one of two sessions failed: Wilson interval of 1/2
    const failedOne = a.providers[1]?.variants[1];
    expect(failedOne?.success.estimate).toBe(0.5);
    expect(failedOne?.success.lower).toBeCloseTo(0.0945, 4);
    expect(failedOne?.success.upper).toBeCloseTo(0.9055, 4);
  });

  it('fills the overhead heatmap per scenario and group', () => {
    expect(a.scenarios[0]?.cells.map((c) => c.meanOverhead)).toEqual([3, 3, 0, 0]);
  });
  describe('comparing models', () => {
    const byModel = analyseRun({ manifest, sessions }, { resamples: 200, prices: DEFAULT_PRICES, priceModel: 'gpt-4o', compareBy: 'models', baselineProvider: 'ref:optimal' });

    it('groups by variant and compares every provider with the baseline provider under the same variant', () => {
      expect(byModel.compareBy).toBe('models');
      expect(byModel.baselineProvider).toBe('ref:optimal');
      expect(byModel.groups.map((g) => [g.id, g.cells.map((c) => c.providerId), g.comparisons.map((c) => `${c.armId} vs ${c.baselineId}: ${c.pairs} pairs`)])).toEqual([
        ['plain', ['ref:sequential', 'ref:optimal'], ['ref:sequential vs ref:optimal: 2 pairs']],
        ['together', ['ref:sequential', 'ref:optimal'], ['ref:sequential vs ref:optimal: 2 pairs']],
      ]);
      // The cells themselves do not depend on the axis.
      expect(byModel.providers).toEqual(a.providers);
    });

    it('gives the paired differences by hand: 5 - 2 = 3 more turns, batching 0 - 1, input 1,000 - 400', () => {
      const c = byModel.groups[0]?.comparisons[0];
      expect(c?.metrics.turns).toMatchObject({ pairs: 2, baselineMean: 2, variantMean: 5, difference: 3, lower: 3, upper: 3 });
      expect(c?.metrics.batchingRate.difference).toBe(-1);
      expect(c?.metrics.inputTokens.difference).toBe(600);
      // Every pair differs by the same amount: the interval is the point, which excludes zero.
      expect(c?.metrics.turns.significant).toBe(true);
    });

    it('defaults the baseline provider to the run\'s first provider', () => {
      const first = analyseRun({ manifest, sessions }, { resamples: 200, compareBy: 'models' });
      expect(first.baselineProvider).toBe('ref:sequential');
      expect(first.groups[0]?.comparisons[0]?.metrics.turns.difference).toBe(-3);
    });
  });
});
