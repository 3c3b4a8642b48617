import { describe, expect, it } from 'vitest';
import { bootstrapMeans, bootstrapPValue, expandedAlpha, percentileInterval, basicInterval } from '../../harness/metrics/bootstrap.js';
import { mulberry32 } from '../../harness/core/rng.js';

describe('bootstrap', () => {
  const sample = [3, 5, 4, 6, 2, 5, 4, 7, 3, 5];

  it('is reproducible with a fixed seed and changes with the seed', () => {
    const a = bootstrapMeans([sample], { resamples: 500, seed: 7 })[0];
    const b = bootstrapMeans([sample], { resamples: 500, seed: 7 })[0];
    const c = bootstrapMeans([sample], { resamples: 500, seed: 8 })[0];
    expect(a?.sorted).toEqual(b?.sorted);
    expect(a?.sorted).not.toEqual(c?.sorted);
    expect(a?.mean).toBe(4.4);
  });

  it('gives an interval around the mean, as wide as the t interval for a large sample', () => {
    const dist = bootstrapMeans([sample], { resamples: 4000, seed: 1 })[0];
    if (!dist) throw new Error('no distribution');
    const ci = percentileInterval(dist, 0.95);
    expect(ci.lower).toBeLessThan(4.4);
    expect(ci.upper).toBeGreaterThan(4.4);
    // t interval: 4.4 ± 2.262 x 1.4298/√10 = [3.377, 5.423]; the expanded percentile interval lands near it.
    expect(ci.lower).toBeCloseTo(3.38, 0);
    expect(ci.upper).toBeCloseTo(5.42, 0);
  });

  it('mirrors the percentile interval around the mean for the basic interval', () => {
    const dist = bootstrapMeans([[0, 0, 0, 1, 5, 0, 2, 0, 0, 9]], { resamples: 2000, seed: 4 })[0];
    if (!dist) throw new Error('no distribution');
    const p = percentileInterval(dist);
    const b = basicInterval(dist);
    expect(b.lower).toBeCloseTo(2 * 1.7 - p.upper, 12);
    expect(b.upper).toBeCloseTo(2 * 1.7 - p.lower, 12);
    // right-skewed sample: the percentile interval reaches further up, the basic one further down
    expect(p.upper - 1.7).toBeGreaterThan(1.7 - p.lower);
    expect(1.7 - b.lower).toBeGreaterThan(b.upper - 1.7);
  });

  it('widens the tails for small samples and not for large ones', () => {
    expect(expandedAlpha(0.05, 5)).toBeLessThan(0.02);
    expect(expandedAlpha(0.05, 10_000)).toBeCloseTo(0.05, 3);
  });

  it('gives p = 1 and a zero-width interval when every difference is zero, a tiny p when all are positive', () => {
    const [zero, positive] = bootstrapMeans([[0, 0, 0, 0, 0, 0, 0, 0], [1, 2, 1, 3, 2, 1, 2, 1]], { resamples: 200, seed: 3 });
    if (!zero || !positive) throw new Error('no distribution');
    expect(bootstrapPValue(zero)).toBe(1);
    expect(percentileInterval(zero)).toEqual({ lower: 0, upper: 0 });
    expect(bootstrapPValue(positive)).toBeLessThan(0.05);
  });

  it('makes no interval from fewer than two rows', () => {
    const [one] = bootstrapMeans([[5]], { resamples: 100, seed: 1 });
    if (!one) throw new Error('no distribution');
    expect(one.mean).toBe(5);
    expect(Number.isNaN(percentileInterval(one).lower)).toBe(true);
    expect(Number.isNaN(bootstrapPValue(one))).toBe(true);
  });
});

/** The bootstrap written plainly, column by column: what bootstrapMeans must reproduce to the last bit. */
function plainBootstrap(columns: number[][], resamples: number, seed: number, strata?: string[], generalize = false): number[][] {
  const n = columns[0]?.length ?? 0;
  const rng = mulberry32(seed);
  const by = new Map<string, number[]>();
  strata?.forEach((k, i) => by.set(k, [...(by.get(k) ?? []), i]));
  const groups = strata ? [...by.values()] : undefined;
  const stratumMeans = columns.map((col) => (groups ?? []).map((g) => g.reduce((s, i) => s + (col[i] as number), 0) / g.length));
  const out = columns.map(() => [] as number[]);
  for (let b = 0; b < resamples; b++) {
    let idx: number[] = [];
    if (!groups) idx = Array.from({ length: n }, () => Math.floor(rng() * n));
    else {
      const chosen = generalize ? groups.map(() => groups[Math.floor(rng() * groups.length)] as number[]) : groups;
      for (const g of chosen) for (let i = 0; i < g.length; i++) idx.push(g[Math.floor(rng() * g.length)] as number);
    }
    columns.forEach((col, c) => {
      if (groups && !generalize) {
        let total = 0;
        let k = 0;
        groups.forEach((g, gi) => {
          let s = 0;
          for (let i = 0; i < g.length; i++) s += col[idx[k++] as number] as number;
          const m = (stratumMeans[c] as number[])[gi] as number;
          total += g.length * (m + (g.length > 1 ? Math.sqrt(g.length / (g.length - 1)) : 0) * (s / g.length - m));
        });
        (out[c] as number[]).push(total / n);
      } else {
        let s = 0;
        for (const i of idx) s += col[i] as number;
        (out[c] as number[]).push(s / idx.length);
      }
    });
  }
  return out.map((o) => [...Float64Array.from(o).sort()]);
}

describe('bootstrapMeans against the plain column-by-column bootstrap', () => {
  const rng = mulberry32(99);
  const n = 45;
  const varying = Array.from({ length: n }, () => Math.round(rng() * 1000) / 7);
  const shares = Array.from({ length: n }, () => (rng() < 0.4 ? 1 : 0));
  const constant = Array.from({ length: n }, () => 0.1);
  const zeros = Array.from({ length: n }, () => 0);
  // One value per task (a deterministic policy), and one value in some tasks only.
  const perTask = Array.from({ length: n }, (_, i) => ((i % 7) * 0.37) / 3);
  const someTasks = varying.map((x, i) => (i % 7 < 3 ? (i % 7) / 3 : x));
  const columns = [varying, constant, shares, zeros, perTask, someTasks];
  const strata = Array.from({ length: n }, (_, i) => `task-${i % 7}`);

  it.each([
    ['sessions as one population', undefined, false],
    ['within tasks', strata, false],
    ['tasks, then sessions within them', strata, true],
  ] as const)('%s: the same resampled means to the last bit, constant columns included', (_, s, generalize) => {
    const got = bootstrapMeans(columns, { resamples: 300, seed: 5, ...(s ? { strata: s } : {}), ...(generalize ? { generalize } : {}) });
    expect(got.map((d) => [...d.sorted])).toEqual(plainBootstrap(columns, 300, 5, s ? [...s] : undefined, generalize));
  });

  it.each([
    ['sessions as one population', undefined, false],
    ['within tasks', strata, false],
    ['tasks, then sessions within them', strata, true],
  ] as const)('%s: the same to the last bit when every column holds one value per task', (_, s, generalize) => {
    const got = bootstrapMeans([perTask, constant], { resamples: 300, seed: 8, ...(s ? { strata: s } : {}), ...(generalize ? { generalize } : {}) });
    expect(got.map((d) => [...d.sorted])).toEqual(plainBootstrap([perTask, constant], 300, 8, s ? [...s] : undefined, generalize));
  });
});
