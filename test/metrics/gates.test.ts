import { describe, expect, it } from 'vitest';
import type { MetricComparison } from '../../harness/metrics/comparison.js';
import { COMPARE_METRICS, type CompareMetric } from '../../harness/metrics/stat-metrics.js';
import { evaluateGates } from '../../harness/metrics/evaluate-gates.js';
import { DEFAULT_GATES, describeGate, parseGates, type Gate, type MetricGate } from '../../harness/metrics/gates.js';
import { gateResamplesFor } from '../../harness/metrics/compare-runs.js';
import { xmlEscape } from '../../harness/reports/junit.js';
import { parseShard, selectShard } from '../../harness/core/matrix.js';
import { parseXml } from '../reports/xml.js';

const none: MetricComparison = { pairs: 20, baselineMean: 0, variantMean: 0, difference: 0, relative: Number.NaN, lower: 0, upper: 0, p: 1, pHolm: 1, significant: false };

/** A group's comparisons: every metric unchanged except those given. */
function group(changes: Partial<Record<CompareMetric, Partial<MetricComparison>>>): Record<CompareMetric, MetricComparison> {
  return Object.fromEntries(COMPARE_METRICS.map((m) => [m, { ...none, ...changes[m] }])) as Record<CompareMetric, MetricComparison>;
}

const batching: Gate = { name: 'batching_rate', metric: 'batchingRate', bad: 'drop', limit: { kind: 'absolute', value: 0.05 } };
const turns: Gate = { name: 'turns', metric: 'turns', bad: 'rise', limit: { kind: 'relative', fraction: 0.1 } };

describe('gate decisions', () => {
  it('fail only when the change is beyond the limit in the bad direction and real after Holm', () => {
    const [results] = evaluateGates(
      [group({ batchingRate: { baselineMean: 0.8, variantMean: 0.7, difference: -0.1, p: 0.01 }, turns: { baselineMean: 4, variantMean: 4.6, difference: 0.6, p: 0.02 } })],
      [batching, turns],
      0.05,
    );
    // Holm over 2 tests: 0.01 x 2 = 0.02, then max(0.02, 0.02 x 1) = 0.02.
    expect(results?.map((r) => [r.status, r.pAdjusted, r.allowed, r.worsening])).toEqual([
      ['fail', 0.02, 0.05, 0.1],
      ['fail', 0.02, 0.4, 0.6],
    ]);
  });

  it('a change beyond the limit that is not statistically real passes', () => {
    const [[r]] = evaluateGates([group({ batchingRate: { baselineMean: 0.8, variantMean: 0.6, difference: -0.2, p: 0.2 } })], [batching], 0.05) as [[ReturnType<typeof evaluateGates>[0][0]]];
    expect(r).toMatchObject({ status: 'pass', beyondLimit: true, real: false });
  });

  it('a real change within the limit, or in the good direction, passes', () => {
    const results = evaluateGates(
      [group({ batchingRate: { baselineMean: 0.8, variantMean: 0.77, difference: -0.03, p: 0.001 } }), group({ batchingRate: { baselineMean: 0.5, variantMean: 0.9, difference: 0.4, p: 0.001 } })],
      [batching],
      0.05,
    );
    expect(results.map(([r]) => [r?.status, r?.beyondLimit, r?.real])).toEqual([
      ['pass', false, true],
      ['pass', false, true],
    ]);
  });

  it('Holm spreads alpha over every group x gate: p = 0.02 fails alone and passes among four tests', () => {
    const bad = group({ batchingRate: { baselineMean: 0.8, variantMean: 0.6, difference: -0.2, p: 0.02 } });
    expect(evaluateGates([bad], [batching], 0.05)[0]?.[0]?.status).toBe('fail');
    const results = evaluateGates([bad, group({}), group({}), group({})], [batching], 0.05);
    // Smallest of 4 p-values: 0.02 x 4 = 0.08 >= 0.05.
    expect(results[0]?.[0]).toMatchObject({ status: 'pass', pAdjusted: 0.08, family: 4 });
  });

  it('skips a gate with fewer than two pairs or no value', () => {
    const results = evaluateGates([group({ batchingRate: { pairs: 1, difference: -0.5, p: Number.NaN } }), group({ batchingRate: { difference: Number.NaN, p: Number.NaN } })], [batching], 0.05);
    expect(results.map(([r]) => r?.status)).toEqual(['skipped', 'skipped']);
    expect(results[0]?.[0]?.family).toBe(0);
  });

  it('a zero limit on success rate fails on any real fall', () => {
    const success = DEFAULT_GATES.find((g) => g.name === 'success_rate') as MetricGate;
    expect(describeGate(success)).toBe('success_rate may not fall');
    const [[r]] = evaluateGates([group({ success: { baselineMean: 1, variantMean: 0.9, difference: -0.1, p: 0.004 } })], [success], 0.05) as [[ReturnType<typeof evaluateGates>[0][0]]];
    expect(r?.status).toBe('fail');
  });

  it('gives the gate tests enough resamples that Holm can still reject: floor 2/(B+1) at most α/(20m)', () => {
    expect(gateResamplesFor(4, 0.05, 2000)).toBe(3200);
    expect(gateResamplesFor(72, 0.05, 2000)).toBe(57_600);
    expect(gateResamplesFor(1, 0.05, 5000)).toBe(5000);
    const m = 72;
    expect(2 / (gateResamplesFor(m, 0.05, 2000) + 1)).toBeLessThan(0.05 / (20 * m));
  });

  it('refuses an absolute limit above 1 on a rate, naming the file and the field; counts and tokens take any size', () => {
    expect(() => parseGates({ error_rate: { max_rise: 2 } }, 'g.yaml')).toThrow('g.yaml: gates.error_rate.max_rise: error_rate is a rate from 0 to 1, so 2 would be 200 points; write 0.02 for 2 points, or "2%" for 2% of the baseline');
    expect(() => parseGates({ trajectory_recall: { max_drop: 10 } }, 'g.yaml')).toThrow(/g\.yaml: gates\.trajectory_recall\.max_drop: trajectory_recall is a rate/);
    expect(parseGates({ success_rate: { max_drop: 1 }, turns: { max_rise: 5 }, input_tokens: { max_rise: 2000 } }, 'g.yaml').map(describeGate)).toEqual([
      'success_rate may not drop by more than 100.0 pts',
      'turns may not rise by more than 5.00',
      'input_tokens may not rise by more than 2,000',
    ]);
  });

  it('parses gates from config values, with relative limits', () => {
    expect(parseGates({ turns: { max_rise: '12.5%' }, cost: { max_rise: 0.01 } }, 'c.yaml')).toEqual([
      { name: 'turns', metric: 'turns', bad: 'rise', limit: { kind: 'relative', fraction: 0.125 } },
      { name: 'cost', metric: 'cost', bad: 'rise', limit: { kind: 'absolute', value: 0.01 } },
    ]);
    expect(DEFAULT_GATES.map(describeGate)).toEqual([
      'error_rate may not rise',
      'success_rate may not fall',
      'batching_rate may not drop by more than 5.0 pts',
      'turns may not rise by more than 10%',
      'input_tokens may not rise by more than 10%',
    ]);
    expect(() => parseGates({ turns: { max_rise: '-3%' } }, 'c.yaml')).toThrow(/c\.yaml: gates\.turns\.max_rise/);
  });
});

describe('shards', () => {
  it('parses i/n and deals the plan round-robin into disjoint, covering parts', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard must be i\/n/);
    const plan = Array.from({ length: 10 }, (_, i) => i);
    const parts = [1, 2, 3, 4].map((index) => selectShard(plan, { index, count: 4 }));
    expect(parts).toEqual([[0, 4, 8], [1, 5, 9], [2, 6], [3, 7]]);
  });
});

describe('JUnit XML escaping', () => {
  it('escapes markup and quotes and drops characters XML cannot hold', () => {
    const nasty = `a<b>&"c"'d'\u0000\u0007e\tf\n]]>`;
    expect(xmlEscape(nasty)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;e\tf\n]]&gt;');
    const doc = parseXml(`<t a="${xmlEscape(nasty)}">${xmlEscape(nasty)}</t>`);
    expect(doc.attrs['a']).toBe(`a<b>&"c"'d'e\tf\n]]>`);
    expect(doc.text).toBe(`a<b>&"c"'d'e\tf\n]]>`);
  });
});
