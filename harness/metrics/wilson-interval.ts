import { normalQuantile } from './distributions.js';

export interface Proportion {
  successes: number;
  n: number;
  /** successes / n (NaN when n = 0). */
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; method 3 of
 * Newcombe 1998), without continuity correction. Unlike the plain
 * estimate ± z·SE it stays inside [0, 1] and behaves at 0/n and n/n.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Proportion {
  if (n === 0) return { successes, n, estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return {
    successes,
    n,
    estimate: p,
    lower: Math.max(0, (centre - half) / denom),
    upper: Math.min(1, (centre + half) / denom),
  };
}
