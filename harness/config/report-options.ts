import { UsageError } from '../core/errors.js';
import { COMPARE_AXES, type CompareAxis } from '../metrics/compare-axis.js';
import { HOLM_SCOPES, type HolmScope } from '../metrics/holm-scope.js';
import { findPrice, DEFAULT_PRICES } from '../metrics/prices.js';
import { analyseRun, type AnalysisOptions, type RunAnalysis } from '../metrics/run-analysis.js';
import type { LoadedRun } from '../core/run-file/run-files.js';
import { loadPriceFile } from './price-file.js';

/** Choices a user makes about the reports (`report` and `run` options). */
export interface ReportOptions {
  /** Variant every other variant is compared with (`--baseline`); default the run's first variant. */
  baseline?: string;
  /** What the reports compare (`--compare-by`): variants within each provider (default), or models within each variant. */
  compareBy?: CompareAxis;
  /** Provider every other provider is compared with when comparing models (`--baseline-provider`); default the run's first provider. */
  baselineProvider?: string;
  /** Model whose price applies to reference policies and unpriced providers (`--price-model`). */
  priceModel?: string;
  /** YAML file adding or overriding prices (`--prices`). */
  pricesFile?: string;
  /** Bootstrap resamples (`--resamples`); default 2000. */
  resamples?: number;
  /** Bootstrap seed; default the run's seed. */
  seed?: number;
  /** Holm's family (`--holm-scope`): `metric` (default) or `all`. */
  holmScope?: HolmScope;
  /** `tasks` (`--generalize tasks`): intervals for tasks like these; default for this suite's tasks. */
  generalize?: 'tasks';
}

/** Checks the price file and price model alone, before a run starts. Throws `UsageError` / `InputError`. */
export function checkPriceOptions(options: ReportOptions): void {
  const prices = options.pricesFile === undefined ? DEFAULT_PRICES : loadPriceFile(options.pricesFile);
  if (options.priceModel !== undefined && !findPrice(prices, options.priceModel)) {
    throw new UsageError(`--price-model "${options.priceModel}" has no price; priced models: ${Object.keys(prices).join(', ')} (add it with --prices <file>)`);
  }
}

/** Checks `--compare-by` (its value may come from a config file or a script, not only from the CLI). Throws `UsageError`. */
export function checkCompareBy(options: ReportOptions): void {
  if (options.compareBy !== undefined && !COMPARE_AXES.includes(options.compareBy)) {
    throw new UsageError(`--compare-by must be one of ${COMPARE_AXES.join(', ')} (got "${String(options.compareBy)}")`);
  }
}

/** Checks the options against the run and turns them into analysis options. Throws `UsageError` / `InputError`. */
export function resolveAnalysisOptions(run: LoadedRun, options: ReportOptions): AnalysisOptions {
  const variants = [...new Set([...run.manifest.config.variants, ...run.sessions.map((s) => s.variantId)])];
  if (options.baseline !== undefined && !variants.includes(options.baseline)) {
    throw new UsageError(`--baseline "${options.baseline}" is not a variant of this run; its variants are: ${variants.join(', ')}`);
  }
  const providers = [...new Set([...run.manifest.config.providers.map((p) => p.id), ...run.sessions.map((s) => s.provider.id)])];
  if (options.baselineProvider !== undefined && !providers.includes(options.baselineProvider)) {
    throw new UsageError(`--baseline-provider "${options.baselineProvider}" is not a provider of this run; its providers are: ${providers.join(', ')}`);
  }
  checkCompareBy(options);
  if (options.holmScope !== undefined && !HOLM_SCOPES.includes(options.holmScope)) throw new UsageError(`--holm-scope must be one of ${HOLM_SCOPES.join(', ')} (got "${String(options.holmScope)}")`);
  if (options.generalize !== undefined && options.generalize !== 'tasks') throw new UsageError(`--generalize takes "tasks" (got "${String(options.generalize)}")`);
  const prices = options.pricesFile === undefined ? DEFAULT_PRICES : loadPriceFile(options.pricesFile);
  if (options.priceModel !== undefined && !findPrice(prices, options.priceModel)) {
    throw new UsageError(`--price-model "${options.priceModel}" has no price; priced models: ${Object.keys(prices).join(', ')} (add it with --prices <file>)`);
  }
  if (options.resamples !== undefined && (!Number.isInteger(options.resamples) || options.resamples < 100)) {
    throw new UsageError(`--resamples must be an integer >= 100 (got ${options.resamples})`);
  }
  return {
    prices,
    ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
    ...(options.compareBy !== undefined ? { compareBy: options.compareBy } : {}),
    ...(options.baselineProvider !== undefined ? { baselineProvider: options.baselineProvider } : {}),
    ...(options.priceModel !== undefined ? { priceModel: options.priceModel } : {}),
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.holmScope !== undefined ? { holmScope: options.holmScope } : {}),
    ...(options.generalize !== undefined ? { generalize: options.generalize } : {}),
  };
}

const cache = new WeakMap<LoadedRun, Map<string, RunAnalysis>>();

/** The analysis of a run under these options, computed once and shared by every reporter. */
export function analysisFor(run: LoadedRun, options: ReportOptions = {}): RunAnalysis {
  const key = JSON.stringify(options);
  let byOptions = cache.get(run);
  if (!byOptions) {
    byOptions = new Map();
    cache.set(run, byOptions);
  }
  let analysis = byOptions.get(key);
  if (!analysis) {
    analysis = analyseRun(run, resolveAnalysisOptions(run, options));
    byOptions.set(key, analysis);
  }
  return analysis;
}
