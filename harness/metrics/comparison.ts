import { bootstrapMeans, bootstrapPValue, excludesZero, basicInterval, type BootstrapDistribution } from './bootstrap.js';
import { holmAdjust } from './holm.js';
import { COMPARE_METRICS, type CompareMetric, type SessionFigures } from './stat-metrics.js';

/** One session's figures with what pairs it: scenario and repeat. */
export interface PairableSession {
  scenarioId: string;
  repeat: number;
  figures: SessionFigures;
  /**
   * False for a session that errored or was skipped (`isMeasured`): it still
   * finds its partner, but the pair is dropped and counted, never averaged.
   * Absent means measured.
   */
  measured?: boolean;
}

export interface MetricComparison {
  /** Pairs the difference is averaged over. */
  pairs: number;
  baselineMean: number;
  variantMean: number;
  /** Mean of (variant − baseline) over the pairs. */
  difference: number;
  /** difference / baselineMean (NaN when the baseline mean is 0). */
  relative: number;
  /** Confidence interval of the difference (paired bootstrap, expanded basic interval). */
  lower: number;
  upper: number;
  /** Two-sided bootstrap p-value for "no difference", and after Holm's adjustment over the variants compared. */
  p: number;
  pHolm: number;
  /** True when the interval, at the level Holm's procedure allots this test, excludes zero. */
  significant: boolean;
  /** Standard error of the mean paired difference: sd of the pair differences / √pairs (NaN with fewer than 2 pairs). */
  se?: number;
  /** Tests in the Holm family this one was corrected within (the variants compared for this metric). */
  family?: number;
  /** The smallest change this comparison detects with 80% power at its Holm level (power.ts); set by `analyseRun`. */
  detectable?: number;
}

export interface VariantComparison {
  variantId: string;
  baselineId: string;
  /** Pairs measured on both sides: every difference is averaged over these. */
  pairs: number;
  /** Pairs left out because one side or both errored or were skipped. */
  dropped: number;
  /** Sessions of either side with no partner (same scenario and repeat) on the other. */
  unpaired: number;
  metrics: Record<CompareMetric, MetricComparison>;
}

interface RawComparison {
  variantId: string;
  pairs: number;
  dropped: number;
  unpaired: number;
  baselineMeans: number[];
  variantMeans: number[];
  dists: BootstrapDistribution[];
  ses: number[];
}

const pairKey = (s: Pick<PairableSession, 'scenarioId' | 'repeat'>): string => `${s.scenarioId}\u0000${s.repeat}`;

/**
 * Pairs sessions by scenario and repeat. A pair where either side is not
 * measured (errored, skipped) is dropped and counted in `dropped`; sessions
 * with no partner at all are `unpaired`.
 */
export function pairUp(
  baseline: readonly PairableSession[],
  variant: readonly PairableSession[],
): { pairs: [SessionFigures, SessionFigures][]; dropped: number; unpaired: number; scenarios: string[] } {
  const byKey = new Map<string, PairableSession>();
  for (const s of baseline) if (!byKey.has(pairKey(s))) byKey.set(pairKey(s), s);
  const pairs: [SessionFigures, SessionFigures][] = [];
  const scenarios: string[] = [];
  const used = new Set<string>();
  let dropped = 0;
  for (const s of variant) {
    const k = pairKey(s);
    const b = byKey.get(k);
    if (b && !used.has(k)) {
      used.add(k);
      if (b.measured === false || s.measured === false) dropped += 1;
      else {
        pairs.push([b.figures, s.figures]);
        scenarios.push(s.scenarioId);
      }
    }
  }
  return { pairs, dropped, unpaired: baseline.length + variant.length - 2 * used.size, scenarios };
}

const meanOf = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Sample standard deviation / √n of the pair differences; NaN with fewer than 2. */
function standardError(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = meanOf(xs);
  const variance = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(variance / xs.length);
}

/**
 * Compares each variant of one provider with the baseline variant of the same
 * provider (or, comparing models, each provider under one variant with the
 * baseline provider: `compare-axis.ts` passes provider ids as the "variant"
 * ids). Sessions are paired by scenario and repeat, so the difference of a
 * pair holds task difficulty constant; a pair where either side errored or was
 * skipped is dropped and counted (`dropped`); the mean difference gets a seeded paired
 * bootstrap interval. Per metric, the variants compared form one family for
 * Holm's step-down procedure: tests are taken in order of p-value, the i-th of
 * m is tested with the (1 − α/(m − i + 1)) interval, and testing stops at the
 * first interval that contains zero.
 */
export function compareVariants(
  baseline: { variantId: string; sessions: readonly PairableSession[] },
  variants: readonly { variantId: string; sessions: readonly PairableSession[] }[],
  options: { resamples: number; seedFor: (variantId: string) => number; confidence: number; generalize?: boolean },
): VariantComparison[] {
  const raws: RawComparison[] = variants.map((v) => {
    const { pairs, dropped, unpaired, scenarios } = pairUp(baseline.sessions, v.sessions);
    const diffs = COMPARE_METRICS.map((m) => pairs.map(([b, x]) => x[m] - b[m]));
    return {
      variantId: v.variantId,
      pairs: pairs.length,
      dropped,
      unpaired,
      baselineMeans: COMPARE_METRICS.map((m) => meanOf(pairs.map(([b]) => b[m]))),
      variantMeans: COMPARE_METRICS.map((m) => meanOf(pairs.map(([, x]) => x[m]))),
      ses: diffs.map(standardError),
      // --generalize tasks: a two-level bootstrap (tasks, then pairs within each task), for tasks like these.
      dists: bootstrapMeans(diffs, { resamples: options.resamples, seed: options.seedFor(v.variantId), ...(options.generalize ? { strata: scenarios, generalize: true } : {}) }),
    };
  });
  const alpha = 1 - options.confidence;
  const perMetric = COMPARE_METRICS.map((_, mi) => {
    const dists = raws.map((r) => r.dists[mi] as BootstrapDistribution);
    const ps = dists.map(bootstrapPValue);
    const pHolm = holmAdjust(ps);
    const order = ps.map((p, i) => ({ p, i })).filter((x) => !Number.isNaN(x.p)).sort((a, b) => a.p - b.p);
    const significant = ps.map(() => false);
    const m = order.length;
    for (let rank = 0; rank < m; rank++) {
      const i = (order[rank] as { i: number }).i;
      if (!excludesZero(basicInterval(dists[i] as BootstrapDistribution, 1 - alpha / (m - rank)))) break;
      significant[i] = true;
    }
    return { ps, pHolm, significant };
  });
  return raws.map((r, vi) => ({
    variantId: r.variantId,
    baselineId: baseline.variantId,
    pairs: r.pairs,
    dropped: r.dropped,
    unpaired: r.unpaired,
    metrics: Object.fromEntries(
      COMPARE_METRICS.map((metric, mi) => {
        const dist = r.dists[mi] as BootstrapDistribution;
        const interval = basicInterval(dist, options.confidence);
        const baselineMean = r.baselineMeans[mi] as number;
        const stats = perMetric[mi] as { ps: number[]; pHolm: number[]; significant: boolean[] };
        const c: MetricComparison = {
          pairs: r.pairs,
          baselineMean,
          variantMean: r.variantMeans[mi] as number,
          difference: dist.mean,
          relative: baselineMean === 0 ? Number.NaN : dist.mean / baselineMean,
          lower: interval.lower,
          upper: interval.upper,
          p: stats.ps[vi] as number,
          pHolm: stats.pHolm[vi] as number,
          significant: stats.significant[vi] as boolean,
          se: r.ses[mi] as number,
          family: raws.length,
        };
        return [metric, c];
      }),
    ) as Record<CompareMetric, MetricComparison>,
  }));
}
