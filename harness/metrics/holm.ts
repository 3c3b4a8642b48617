/**
 * Holm's step-down adjustment (Holm 1979) of p-values for a family of tests:
 * the i-th smallest p is multiplied by (m - i + 1), and adjusted values are
 * made non-decreasing in that order and capped at 1. A test is significant at
 * level α when its adjusted p is below α; this controls the family-wise error
 * rate at α whatever the dependence between tests. NaN p-values (tests that
 * could not be made) stay NaN and do not count towards m.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const indexed = pValues.map((p, i) => ({ p, i })).filter((x) => !Number.isNaN(x.p));
  indexed.sort((a, b) => a.p - b.p);
  const m = indexed.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 0;
  indexed.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
