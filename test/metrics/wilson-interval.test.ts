import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../harness/metrics/wilson-interval.js';

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion",
  // Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i gives [%f, %f] as published', (x, n, lower, upper) => {
    const w = wilsonInterval(x, n);
    expect(w.estimate).toBeCloseTo(x / n, 12);
    expect(w.lower).toBeCloseTo(lower, 4);
    expect(w.upper).toBeCloseTo(upper, 4);
  });

  it('stays inside [0, 1] at n/n and is NaN with no trials', () => {
    const all = wilsonInterval(20, 20);
    expect(all.upper).toBe(1);
    expect(all.lower).toBeCloseTo(1 - 0.1611, 4);
    expect(Number.isNaN(wilsonInterval(0, 0).lower)).toBe(true);
  });
});
