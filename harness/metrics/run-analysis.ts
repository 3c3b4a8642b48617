import type { CutLine } from '../core/run-file/read-run.js';
import { isMeasured, type RunManifest, type SessionRecord } from '../core/run-file/records.js';
import { deriveSeed } from '../core/rng.js';
import { BAND_RULE } from './bands.js';
import { applyHolmScope, type HolmScope } from './holm-scope.js';
import { compareGroups, type CompareAxis } from './compare-axis.js';
import type { PairableSession } from './comparison.js';
import { savingsByVariant } from './counterfactual-run.js';
import { mean } from './describe.js';
import { drillDownSample } from './drill-down-sample.js';
import { errorBreakdown } from './error-breakdown.js';
import { runPlanSummaries } from './plan-metrics.js';
import { detectableChange } from './power.js';
import { choosePrice, DEFAULT_PRICE_MODEL, DEFAULT_PRICES, type PriceChoice, type PriceTable } from './prices.js';
import type { ProviderAnalysis, ReportModel, ScenarioOverhead } from './report-model.js';
import { analyseSession, type SessionReport } from './session-report.js';
import { summariseGroups } from './summary.js';
import { variantStats, type VariantStats } from './variant-stats.js';

export type { ProviderAnalysis, ReportModel, ScenarioOverhead } from './report-model.js';
/** The model's former name. */
export type RunAnalysis = ReportModel;

export interface AnalysisOptions {
  /** Variant every other variant is compared with; default the run's first variant. */
  baseline?: string;
  /** What is compared: the variants within each provider (default), or the providers (models) within each variant. */
  compareBy?: CompareAxis;
  /** Provider every other provider is compared with when comparing models; default the run's first provider. */
  baselineProvider?: string;
  /** Seed of every bootstrap; default the run's seed. */
  seed?: number;
  /** Bootstrap resamples per interval. */
  resamples?: number;
  confidence?: number;
  prices?: PriceTable;
  /** Model whose price applies to reference policies and the scripted provider (an unlisted model has no price). */
  priceModel?: string;
  /** Which tests Holm's correction treats as one family (holm-scope.ts); default `metric`. */
  holmScope?: HolmScope;
  /** `tasks`: two-level bootstrap (tasks, then sessions within tasks), intervals for tasks like these; default: for this suite's tasks. */
  generalize?: 'tasks';
}

export const DEFAULT_RESAMPLES = 2000;

const orderBy = <T>(items: readonly T[], key: (t: T) => string, order: readonly string[]): T[] => {
  const rank = (k: string): number => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return [...items].sort((a, b) => rank(key(a)) - rank(key(b)));
};

/**
 * Everything the reports show, computed once from the run file alone: per-session figures, summaries,
 * intervals, comparisons, plans, savings, errors and the drill-down's sample. Pure: seeds and prices come
 * in as arguments.
 */
export function analyseRun(run: { manifest: RunManifest; sessions: readonly SessionRecord[]; cutLine?: CutLine | undefined }, options: AnalysisOptions = {}): ReportModel {
  const { manifest, sessions } = run;
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? manifest.config.seed;
  const prices = options.prices ?? DEFAULT_PRICES;
  const priceModel = options.priceModel ?? DEFAULT_PRICE_MODEL;
  const seen = [...new Set(sessions.map((s) => s.variantId))];
  const variantIds = [...manifest.config.variants, ...seen.filter((v) => !manifest.config.variants.includes(v))];
  const baseline = options.baseline ?? variantIds[0] ?? '';
  const scenarioOf = new Map(manifest.scenarios.map((s) => [s.id, s]));
  const priceOf = new Map<string, PriceChoice | undefined>();
  const drillDown = drillDownSample(manifest, sessions);
  const shown = new Set(drillDown.flatMap((d) => d.shown));
  const perSession = sessions.map((s, i) => {
    if (!priceOf.has(s.provider.id)) priceOf.set(s.provider.id, choosePrice(prices, s.provider.id, s.provider.kind, priceModel));
    return analyseSession(s, scenarioOf.get(s.scenarioId), priceOf.get(s.provider.id)?.price, shown.has(i));
  });
  const indexed = sessions.map((s, i) => ({ s, r: perSession[i] as SessionReport }));

  const providerIds = [...manifest.config.providers.map((p) => p.id), ...new Set(sessions.map((s) => s.provider.id))].filter((id, i, all) => all.indexOf(id) === i);
  const providers: ProviderAnalysis[] = [];
  const pairables = new Map<VariantStats, PairableSession[]>();
  for (const providerId of providerIds) {
    const mine = indexed.filter((x) => x.s.provider.id === providerId);
    if (mine.length === 0) continue;
    const kind = mine[0]?.s.provider.kind ?? 'model';
    const groups = orderBy(
      [...new Set(mine.map((x) => x.s.variantId))].map((variantId) => ({ variantId, items: mine.filter((x) => x.s.variantId === variantId) })),
      (g) => g.variantId,
      variantIds,
    );
    const variants = groups.map((g) =>
      variantStats(
        {
          providerId,
          providerKind: kind,
          variantId: g.variantId,
          strategy: g.items[0]?.s.strategy ?? '',
          sessions: g.items.map((x) => x.s),
          figures: g.items.map((x) => x.r.figures),
          price: priceOf.get(providerId),
          batchedOfBatchable: g.items.map((x) => x.r.batchedOfBatchable),
        },
        { resamples, confidence, seed: deriveSeed(seed, 'variant', providerId, g.variantId), ...(options.generalize === 'tasks' ? { generalize: true } : {}) },
      ),
    );
    variants.forEach((v, i) => pairables.set(v, (groups[i]?.items ?? []).map((x) => ({ scenarioId: x.s.scenarioId, repeat: x.s.repeat, figures: x.r.figures, measured: isMeasured(x.s) }))));
    providers.push({ id: providerId, kind, variants });
  }

  const compareBy = options.compareBy ?? 'variants';
  const baselineProvider = options.baselineProvider ?? providers[0]?.id ?? '';
  const baselineArm = compareBy === 'variants' ? baseline : baselineProvider;
  const comparisonGroups = compareGroups(compareBy, providers.flatMap((p) => p.variants), (cell) => pairables.get(cell) ?? [], baselineArm, {
    groupOrder: compareBy === 'variants' ? providers.map((p) => p.id) : variantIds,
    resamples,
    confidence,
    // Comparing variants keeps the seeds it always had, so old reports regenerate to the same numbers.
    seedFor: (group, arm) => deriveSeed(seed, compareBy === 'variants' ? 'compare' : 'compare-models', group, baselineArm, arm),
    ...(options.generalize === 'tasks' ? { generalize: true } : {}),
  });
  const holmScope = options.holmScope ?? 'metric';
  const holmTests = applyHolmScope(comparisonGroups, holmScope, 1 - confidence);
  for (const g of comparisonGroups) {
    for (const c of g.comparisons) for (const x of Object.values(c.metrics)) x.detectable = detectableChange(x.se ?? Number.NaN, 1 - confidence, x.family ?? 1);
  }

  const scenarioIds = [...manifest.scenarios.map((s) => s.id), ...new Set(sessions.map((s) => s.scenarioId))].filter((id, i, all) => all.indexOf(id) === i);
  const scenarios: ScenarioOverhead[] = scenarioIds.map((scenarioId) => {
    const info = manifest.scenarios.find((s) => s.id === scenarioId);
    const mine = indexed.filter((x) => x.s.scenarioId === scenarioId);
    return {
      scenarioId,
      title: info?.title ?? scenarioId,
      optimalTurns: info?.optimalTurns ?? mine[0]?.s.optimalTurns ?? Number.NaN,
      cells: providers.flatMap((p) =>
        p.variants.map((v) => {
          const all = mine.filter((x) => x.s.provider.id === p.id && x.s.variantId === v.variantId);
          const cell = all.filter((x) => isMeasured(x.s));
          return {
            providerId: p.id,
            variantId: v.variantId,
            sessions: all.length,
            measured: cell.length,
            meanOverhead: mean(cell.map((x) => x.r.figures.overhead)),
            meanMissed: mean(cell.map((x) => x.r.figures.missedParallelCalls)),
          };
        }),
      ),
    };
  });

  const optimal = providers.find((p) => p.id === 'ref:optimal');
  const optimalCurve = (optimal?.variants.find((v) => v.variantId === baseline) ?? optimal?.variants[0])?.tokenCurve;
  return {
    runId: manifest.runId,
    manifest,
    records: sessions,
    ...(run.cutLine !== undefined ? { cutLine: run.cutLine } : {}),
    compareBy,
    baseline,
    baselineProvider,
    variantIds,
    confidence,
    resamples,
    seed,
    priceModel,
    prices,
    bandRule: BAND_RULE,
    holmScope,
    holmTests,
    generalize: options.generalize === 'tasks' ? 'tasks' : 'suite',
    providers,
    groups: comparisonGroups,
    scenarios,
    optimalCurve,
    perSession,
    summaries: summariseGroups(sessions, (_, i) => (perSession[i] as SessionReport).metrics),
    plans: runPlanSummaries(manifest, sessions),
    savings: savingsByVariant(sessions, perSession.map((r) => r.savings)),
    errors: errorBreakdown(sessions),
    drillDown,
    sessions: sessions.length,
    measured: sessions.filter(isMeasured).length,
  };
}
