import { bootstrapMeans, bootstrapPValue } from './bootstrap.js';
import { compareVariants, pairUp, type MetricComparison, type PairableSession } from './comparison.js';
import { choosePrice, DEFAULT_PRICE_MODEL, DEFAULT_PRICES, type PriceChoice, type PriceTable } from './prices.js';
import { sessionFigures, type CompareMetric } from './stat-metrics.js';
import { isMeasured, type RunManifest, type SessionRecord } from '../core/run-file/records.js';
import { deriveSeed } from '../core/rng.js';
import { checkComparable } from './comparability.js';
import { evaluateErrorGate, sideErrors, type ErrorGateResult, type SideErrors } from './error-gate.js';
import { evaluateGates, type GateResult } from './evaluate-gates.js';
import { DEFAULT_ERROR_GATE, DEFAULT_GATES, isErrorRateGate, isMetricGate, type ErrorRateGate, type Gate, type MetricGate } from './gates.js';

/** What a comparison needs of a run: its run file, as `readRun` returns it. */
export interface ComparedRun {
  manifest: RunManifest;
  sessions: readonly SessionRecord[];
  dir?: string;
}

export interface CompareOptions {
  /** Metric gates and the error-rate gate; when none is an error-rate gate, `DEFAULT_ERROR_GATE` applies. */
  gates?: readonly Gate[];
  /** Level of every interval and of the gate decisions (α = 1 − confidence). Default 0.95. */
  confidence?: number;
  resamples?: number;
  /** Seed of every bootstrap; default the candidate run's seed. */
  seed?: number;
  prices?: PriceTable;
  priceModel?: string;
}

export interface RunRef {
  runId: string;
  startedAt: string;
  dir: string | undefined;
}

export interface ScenarioComparison {
  scenarioId: string;
  pairs: number;
  metrics: Record<CompareMetric, MetricComparison>;
}

/** One provider x variant group of the candidate against the same group of the baseline. */
export interface GroupComparison {
  baselineProvider: string;
  candidateProvider: string;
  /** The candidate provider is a reference policy (labelled so in every output). */
  reference: boolean;
  variantId: string;
  /** Whether the variant's prompt file changed between the runs. */
  variantChanged: boolean;
  baselineSessions: number;
  candidateSessions: number;
  /** Sessions of each side that errored or were skipped: counted, never averaged. */
  baselineErrors: SideErrors;
  candidateErrors: SideErrors;
  /** Pairs measured on both sides: every metric and metric gate rests on these. */
  pairs: number;
  /** Pairs left out because one side or both errored or were skipped. */
  dropped: number;
  unpaired: number;
  metrics: Record<CompareMetric, MetricComparison>;
  /** The error-rate gate, decided first: errors explain every other change. */
  errorGate: ErrorGateResult;
  /** The metric gates. */
  gates: GateResult[];
  /** Drill-down: the same comparison within each scenario (repeats paired). */
  scenarios: ScenarioComparison[];
}

export interface RunComparison {
  comparable: true;
  baseline: RunRef;
  candidate: RunRef;
  confidence: number;
  resamples: number;
  /** Resamples behind the gates' p-values: enough that the smallest p a bootstrap can give is far below α / (number of gate tests). */
  gateResamples: number;
  seed: number;
  /** The metric gates. */
  gates: readonly MetricGate[];
  errorGate: ErrorRateGate;
  groups: GroupComparison[];
  notes: string[];
  /** Gates that failed (error-rate and metric gates), over every group. */
  regressions: number;
  /** Error-rate gates that failed. */
  errorRegressions: number;
}

export interface IncomparableRuns {
  comparable: false;
  baseline: RunRef;
  candidate: RunRef;
  reasons: string[];
  notes: string[];
}

export type CompareResult = RunComparison | IncomparableRuns;

export const DEFAULT_COMPARE_RESAMPLES = 2000;

const ref = (run: ComparedRun): RunRef => ({ runId: run.manifest.runId, startedAt: run.manifest.startedAt, dir: run.dir });

/**
 * Compares a candidate run with a baseline run: per provider x variant group
 * (and per scenario in the drill-down), every metric's mean change with a
 * paired bootstrap interval, sessions paired by scenario and repeat (a pair
 * where either side errored or was skipped is dropped and counted); then the
 * error-rate gate and the metric gates. Pure: everything comes from the two run files and the options.
 */
export function compareRuns(baseline: ComparedRun, candidate: ComparedRun, options: CompareOptions = {}): CompareResult {
  const check = checkComparable(baseline.manifest, candidate.manifest);
  if (check.reasons.length > 0) return { comparable: false, baseline: ref(baseline), candidate: ref(candidate), reasons: check.reasons, notes: check.notes };
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? DEFAULT_COMPARE_RESAMPLES;
  const seed = options.seed ?? candidate.manifest.config.seed;
  const allGates = options.gates ?? DEFAULT_GATES;
  const gates = allGates.filter(isMetricGate);
  const errorGate = allGates.find(isErrorRateGate) ?? DEFAULT_ERROR_GATE;
  const figuresOf = pairables(options);
  const variantHash = (m: RunManifest, id: string): string | undefined => m.variants.find((v) => v.id === id)?.hash;

  const reasons: string[] = [];
  const groups: Omit<GroupComparison, 'gates' | 'errorGate'>[] = [];
  const samples: { b: PairableSession[]; c: PairableSession[] }[] = [];
  for (const [bp, cp] of check.providers) {
    for (const variantId of candidate.manifest.config.variants) {
      const b = figuresOf(baseline, bp, variantId);
      const c = figuresOf(candidate, cp, variantId);
      const label = bp === cp ? `${bp} / ${variantId}` : `${bp} -> ${cp} / ${variantId}`;
      const run = (bs: readonly PairableSession[], cs: readonly PairableSession[], ...labels: string[]) =>
        compareVariants({ variantId: 'baseline', sessions: bs }, [{ variantId: 'candidate', sessions: cs }], {
          resamples,
          confidence,
          seedFor: () => deriveSeed(seed, 'compare-runs', bp, cp, variantId, ...labels),
        })[0];
      const whole = run(b, c);
      if (!whole || whole.pairs + whole.dropped === 0) {
        reasons.push(`no session of ${label} pairs with the baseline (same scenario and repeat): baseline has ${b.length}, candidate ${c.length}`);
        continue;
      }
      const scenarios = candidate.manifest.config.scenarios.flatMap((scenarioId) => {
        const s = run(b.filter((x) => x.scenarioId === scenarioId), c.filter((x) => x.scenarioId === scenarioId), scenarioId);
        return s && s.pairs > 0 ? [{ scenarioId, pairs: s.pairs, metrics: s.metrics }] : [];
      });
      groups.push({
        baselineProvider: bp,
        candidateProvider: cp,
        reference: candidate.manifest.config.providers.some((p) => p.id === cp && p.kind === 'reference'),
        variantId,
        variantChanged: variantHash(baseline.manifest, variantId) !== variantHash(candidate.manifest, variantId),
        baselineSessions: b.length,
        candidateSessions: c.length,
        baselineErrors: errorsOf(baseline, bp, variantId),
        candidateErrors: errorsOf(candidate, cp, variantId),
        pairs: whole.pairs,
        dropped: whole.dropped,
        unpaired: whole.unpaired,
        metrics: whole.metrics,
        scenarios,
      });
      samples.push({ b, c });
    }
  }
  if (reasons.length > 0) return { comparable: false, baseline: ref(baseline), candidate: ref(candidate), reasons, notes: check.notes };

  const alpha = 1 - confidence;
  const gateResamples = gateResamplesFor(groups.length * gates.length, alpha, resamples);
  const pValues = groups.map((g, i) => gatePValues(samples[i] as { b: PairableSession[]; c: PairableSession[] }, gates, gateResamples, deriveSeed(seed, 'gates', g.baselineProvider, g.candidateProvider, g.variantId)));
  const gateResults = evaluateGates(
    groups.map((g) => g.metrics),
    gates,
    alpha,
    pValues,
  );
  const full = groups.map((g, i) => ({ ...g, errorGate: evaluateErrorGate(errorGate, g.baselineErrors, g.candidateErrors), gates: gateResults[i] ?? [] }));
  const notes = [...check.notes];
  const unpaired = full.reduce((n, g) => n + g.unpaired, 0);
  if (unpaired > 0) notes.push(`${unpaired} session(s) have no partner (same scenario and repeat) on the other side and are left out`);
  const dropped = full.reduce((n, g) => n + g.dropped, 0);
  if (dropped > 0) notes.push(`${dropped} pair(s) dropped because one side or both errored or were skipped: every metric and metric gate rests on the pairs measured on both sides`);
  const errorRegressions = full.filter((g) => g.errorGate.status === 'fail').length;
  return {
    comparable: true,
    baseline: ref(baseline),
    candidate: ref(candidate),
    confidence,
    resamples,
    gateResamples,
    seed,
    gates,
    errorGate,
    groups: full,
    notes,
    regressions: errorRegressions + full.reduce((n, g) => n + g.gates.filter((r) => r.status === 'fail').length, 0),
    errorRegressions,
  };
}

/** Per-session figures of one provider x variant group, ready to pair; cost uses the provider's price (or the fallback model's). */
function pairables(options: CompareOptions): (run: ComparedRun, providerId: string, variantId: string) => PairableSession[] {
  const prices = options.prices ?? DEFAULT_PRICES;
  const fallback = options.priceModel ?? DEFAULT_PRICE_MODEL;
  return (run, providerId, variantId) => {
    const dags = new Map(run.manifest.scenarios.map((s) => [s.id, s.dag]));
    const required = new Map(run.manifest.scenarios.map((s) => [s.id, s.requiredCalls]));
    const sessions = run.sessions.filter((s) => s.provider.id === providerId && s.variantId === variantId);
    const price: PriceChoice | undefined = sessions[0] ? choosePrice(prices, providerId, sessions[0].provider.kind, fallback) : undefined;
    return sessions.map((s) => ({
      scenarioId: s.scenarioId,
      repeat: s.repeat,
      figures: sessionFigures(s, dags.get(s.scenarioId) ?? [], price?.price, required.get(s.scenarioId)),
      measured: isMeasured(s),
    }));
  };
}

/** Errored and skipped sessions of one provider x variant group. */
function errorsOf(run: ComparedRun, providerId: string, variantId: string): SideErrors {
  const mine = run.sessions.filter((s) => s.provider.id === providerId && s.variantId === variantId);
  return sideErrors(mine.length, mine.filter((s) => s.status === 'errored').length, mine.filter((s) => s.status === 'skipped').length);
}

/**
 * A bootstrap p-value cannot go below about 2 / (B + 1), and Holm's procedure
 * asks the smallest of m p-values to be below α / m; with B = 2000 and 40 gate
 * tests no gate could ever fail. So the gate tests get at least 40·m / α
 * resamples, which puts the floor at α / (20·m).
 */
export function gateResamplesFor(tests: number, alpha: number, resamples: number): number {
  return Math.max(resamples, Math.ceil((40 * tests) / alpha));
}

/** Paired bootstrap p-values, one per gate, of the change of the gate's metric in one group, over the pairs measured on both sides. */
function gatePValues(sample: { b: readonly PairableSession[]; c: readonly PairableSession[] }, gates: readonly MetricGate[], resamples: number, seed: number): number[] {
  const { pairs } = pairUp(sample.b, sample.c);
  const dists = bootstrapMeans(
    gates.map((g) => pairs.map(([b, c]) => c[g.metric] - b[g.metric])),
    { resamples, seed },
  );
  return dists.map((d) => bootstrapPValue(d));
}
