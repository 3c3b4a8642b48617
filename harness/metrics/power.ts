import { normalQuantile } from './distributions.js';

/**
 * Power of the paired comparison, by the normal approximation to the mean
 * paired difference. A test in a Holm family of m is judged, conservatively, at
 * Holm's first-step level α/m (two-sided). With se the standard error of the
 * mean difference over n pairs (sd / √n), the smallest change the run detects
 * with probability `power` is
 *
 *   detectable = (z(1 − α/(2m)) + z(power)) · se
 *
 * and the pairs needed to detect a change δ are n = ((z(1 − α/(2m)) + z(power)) · sd / δ)².
 */
export const DEFAULT_POWER = 0.8;

const zSum = (alpha: number, family: number, power: number): number => normalQuantile(1 - alpha / (2 * Math.max(1, family))) + normalQuantile(power);

/** The smallest true change detected with probability `power` (NaN when se is unknown). */
export function detectableChange(se: number, alpha: number, family: number, power = DEFAULT_POWER): number {
  return Number.isFinite(se) ? zSum(alpha, family, power) * se : Number.NaN;
}

/** Pairs needed to detect a change of `delta` given the sd of the pair differences (Infinity for delta 0, 0 for sd 0). */
export function pairsNeeded(sd: number, delta: number, alpha: number, family: number, power = DEFAULT_POWER): number {
  if (sd === 0) return 0;
  if (delta === 0) return Number.POSITIVE_INFINITY;
  return Math.ceil((zSum(alpha, family, power) * sd / Math.abs(delta)) ** 2);
}
