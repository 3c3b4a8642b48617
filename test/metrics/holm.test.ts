import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../harness/metrics/holm.js';

describe('holmAdjust', () => {
  it('multiplies the i-th smallest p by (m - i + 1) and keeps the order monotone', () => {
    // sorted: 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04 -> raised to 0.06
    const adjusted = holmAdjust([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
  });

  it('caps at 1, leaves a single test alone and skips NaN', () => {
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(holmAdjust([0.02])).toEqual([0.02]);
    const withNaN = holmAdjust([0.02, Number.NaN]);
    expect(withNaN[0]).toBe(0.02);
    expect(Number.isNaN(withNaN[1])).toBe(true);
  });
});
