import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from '../../harness/metrics/distributions.js';

describe('distributions', () => {
  it('match printed tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.644854, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975002, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
    // Student t: two-sided 95% critical values.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.045230, 5);
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(2.015048, 5)).toBeCloseTo(0.95, 5);
  });
});
