import type { MetricComparison } from './comparison.js';
import { holmAdjust } from './holm.js';
import type { CompareMetric } from './stat-metrics.js';
import type { MetricGate } from './gates.js';

/** The decision of one metric gate (the error-rate gate has its own: `ErrorGateResult`). */
export interface GateResult {
  gate: MetricGate;
  /** `skipped`: fewer than two session pairs, or the metric has no value (e.g. cost without a price). */
  status: 'pass' | 'fail' | 'skipped';
  /** Movement the gate allows, in the metric's unit (a relative limit times the baseline mean). */
  allowed: number;
  /** Mean change in the bad direction: positive is worse. */
  worsening: number;
  /** `worsening > allowed`. */
  beyondLimit: boolean;
  /** Two-sided p-value of the paired test for "no change". */
  p: number;
  /** Holm-adjusted p-value over every gate test of the comparison. */
  pAdjusted: number;
  /** `pAdjusted < α`. */
  real: boolean;
  /** Gate tests in the Holm family. */
  family: number;
  comparison: MetricComparison;
}

/**
 * Decides every gate of every group. A gate fails when both hold:
 *  1. the mean paired change is beyond the gate's limit in the bad direction
 *     (a relative limit is taken of the baseline mean), and
 *  2. the change is statistically real: the two-sided paired bootstrap p-value
 *     for "no change", Holm-adjusted over all gate tests of the comparison
 *     (every group x gate), is below α = 1 − confidence. For a single test this
 *     is the paired confidence interval excluding zero.
 * Condition 1 keeps small real changes from failing; condition 2 keeps noise
 * from failing, with a family-wise false-alarm rate of at most α however many
 * groups and gates there are. `pValues[group][gate]`, when given, replaces the
 * comparison's own p-value (compare-runs.ts computes them with enough
 * resamples for the family's size). Pure.
 */
export function evaluateGates(
  groups: readonly Record<CompareMetric, MetricComparison>[],
  gates: readonly MetricGate[],
  alpha: number,
  pValues?: readonly (readonly number[])[],
): GateResult[][] {
  const pOf = (gi: number, ti: number, c: MetricComparison): number => pValues?.[gi]?.[ti] ?? c.p;
  const tests = groups.flatMap((metrics, gi) => gates.map((gate, ti) => ({ gi, ti, c: metrics[gate.metric], p: pOf(gi, ti, metrics[gate.metric]) })));
  const testable = (c: MetricComparison, p: number): boolean => c.pairs >= 2 && Number.isFinite(c.difference) && !Number.isNaN(p);
  const family = tests.filter((t) => testable(t.c, t.p));
  const adjusted = holmAdjust(family.map((t) => t.p));
  const pAdjustedOf = new Map(family.map((t, i) => [`${t.gi}|${t.ti}`, adjusted[i] as number]));
  return groups.map((metrics, gi) =>
    gates.map((gate, ti) => {
      const c = metrics[gate.metric];
      const p = pOf(gi, ti, c);
      const allowed = gate.limit.kind === 'absolute' ? gate.limit.value : gate.limit.fraction * Math.abs(c.baselineMean);
      const worsening = gate.bad === 'drop' ? -c.difference : c.difference;
      const beyondLimit = worsening > allowed + 1e-12 * Math.max(1, Math.abs(allowed));
      const pAdjusted = pAdjustedOf.get(`${gi}|${ti}`) ?? Number.NaN;
      const real = pAdjusted < alpha;
      const status = !testable(c, p) ? 'skipped' : beyondLimit && real ? 'fail' : 'pass';
      return { gate, status, allowed, worsening, beyondLimit, p, pAdjusted, real, family: family.length, comparison: c };
    }),
  );
}
