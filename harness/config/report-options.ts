import { UsageError } from '../core/errors.js';
import { COMPARE_AXES, type CompareAxis } from '../metrics/compare-axis.js';
import { HOLM_SCOPES, type HolmScope } from '../metrics/holm-scope.js';
import { findPrice, DEFAULT_PRICES, type PriceTable } from '../metrics/prices.js';
import type { AnalysisOptions } from '../metrics/run-analysis.js';
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

/** The price table of the options (the defaults, or the price file over them), with the price model checked against it. Throws `UsageError` / `InputError`. */
function priceTableOf(options: ReportOptions): PriceTable {
  const prices = options.pricesFile === undefined ? DEFAULT_PRICES : loadPriceFile(options.pricesFile);
  if (options.priceModel !== undefined && !findPrice(prices, options.priceModel)) {
    throw new UsageError(`--price-model "${options.priceModel}" has no price; priced models: ${Object.keys(prices).join(', ')} (add it with --prices <file>)`);
  }
  return prices;
}

/**
 * Checks every choice that does not depend on the run (axis, Holm's family, generalisation, resamples, price
 * file and price model) and returns the price table; `run` calls it before the first session. Throws `UsageError` / `InputError`.
 */
export function checkReportOptions(options: ReportOptions): PriceTable {
  if (options.compareBy !== undefined && !COMPARE_AXES.includes(options.compareBy)) {
    throw new UsageError(`--compare-by must be one of ${COMPARE_AXES.join(', ')} (got "${String(options.compareBy)}")`);
  }
  if (options.holmScope !== undefined && !HOLM_SCOPES.includes(options.holmScope)) throw new UsageError(`--holm-scope must be one of ${HOLM_SCOPES.join(', ')} (got "${String(options.holmScope)}")`);
  if (options.generalize !== undefined && options.generalize !== 'tasks') throw new UsageError(`--generalize takes "tasks" (got "${String(options.generalize)}")`);
  const prices = priceTableOf(options);
  if (options.resamples !== undefined && (!Number.isInteger(options.resamples) || options.resamples < 100)) {
    throw new UsageError(`--resamples must be an integer >= 100 (got ${options.resamples})`);
  }
  return prices;
}

/** Checks the options, and the baselines against the run, once, and turns them into analysis options. Throws `UsageError` / `InputError`. */
export function resolveAnalysisOptions(run: Pick<LoadedRun, 'manifest' | 'sessions'>, options: ReportOptions): AnalysisOptions {
  const variants = [...new Set([...run.manifest.config.variants, ...run.sessions.map((s) => s.variantId)])];
  if (options.baseline !== undefined && !variants.includes(options.baseline)) {
    throw new UsageError(`--baseline "${options.baseline}" is not a variant of this run; its variants are: ${variants.join(', ')}`);
  }
  const providers = [...new Set([...run.manifest.config.providers.map((p) => p.id), ...run.sessions.map((s) => s.provider.id)])];
  if (options.baselineProvider !== undefined && !providers.includes(options.baselineProvider)) {
    throw new UsageError(`--baseline-provider "${options.baselineProvider}" is not a provider of this run; its providers are: ${providers.join(', ')}`);
  }
  const prices = checkReportOptions(options);
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
