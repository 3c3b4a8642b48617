/**
 * batchbench's programmatic API: the same entry points the CLI uses.
 *
 *   import { runSuite, analyseRun, compareRuns, readRun, DEFAULT_PRICES } from 'batchbench';
 *   const run = await runSuite({ providers: ['ref:optimal'], scenarios: ['scenarios'], prompts: ['prompts'], repeats: 2, maxTurns: 8 });
 *   const analysis = analyseRun(run, { prices: DEFAULT_PRICES });   // variants against the baseline, with intervals
 *   const verdict = compareRuns(readRun(baselineDir), run);           // two runs, with regression gates
 *
 * `runSuite` takes a typed `RunConfig` (numbers as numbers, lists as arrays,
 * providers as specs or `{ spec, options }`), checks it once, runs the suite,
 * writes the run file and, unless `reports: false`, the reports.
 */
import { checkReportChoices } from './config/report-choices.js';
import { checkRunConfig, API_SOURCE, type RunConfig } from './config/run-config.js';
import { resolveRunSettings } from './config/run-settings.js';
import { readLegacyVariants } from './config/variant-keys.js';
import type { LoadedRun } from './core/run-file/run-files.js';
import { reportRun } from './reports/index.js';
import type { ReportModel } from './metrics/report-model.js';
import { runConfiguredSuite, type RunHooks } from './run/run-configured.js';

/** What `runSuite` takes: a run config, the run's callbacks, and whether to write the reports. */
export interface RunSuiteOptions extends RunConfig, Pick<RunHooks, 'log' | 'signal' | 'onStart' | 'onResume' | 'onSession'> {
  /** Write report.html, summary.md and the CSVs into the run directory at the end (default true). */
  reports?: boolean;
}

/** @deprecated The name of `RunSuiteOptions` before the config was typed. */
export type SuiteOptions = RunSuiteOptions;

/** The run as written (directory, manifest, sessions) and the report files written. */
export interface SuiteResult extends LoadedRun {
  /** Report files written (none with `reports: false`). */
  files: string[];
  /** What the reports were rendered from, when they were written. */
  model?: ReportModel;
}

/**
 * Runs a suite: what `batchbench run` does, without the terminal. The config is
 * checked once, before anything runs; a bad field is an `InputError` naming
 * `runSuite options` and the field. Paths are relative to the working directory.
 */
export async function runSuite(options: RunSuiteOptions = {}): Promise<SuiteResult> {
  const { reports = true, log, signal, onStart, onResume, onSession, ...given } = options;
  // Prompt paths under `variants:` (its old meaning) are still read as `prompts:`, with a warning.
  const legacy = readLegacyVariants({ ...(given.variants ? { variants: [...given.variants] } : {}), ...(given.prompts ? { prompts: [...given.prompts] } : {}) }, process.cwd(), API_SOURCE);
  if (legacy.warning !== undefined) (log ?? ((line: string) => process.emitWarning(line, 'DeprecationWarning')))(legacy.warning);
  const { variants: _variants, prompts: _prompts, ...rest } = given;
  const { variants, prompts } = legacy.config;
  const config = checkRunConfig({ ...rest, ...(variants !== undefined ? { variants } : {}), ...(prompts !== undefined ? { prompts } : {}) });
  const report = config.report ?? {};
  let files: string[] = [];
  let model: ReportModel | undefined;
  const run = await runConfiguredSuite(resolveRunSettings(config), {
    checkPlan: (matrix) => checkReportChoices(report, matrix, config.source),
    ...(reports
      ? {
          finish: async (written: LoadedRun) => {
            ({ files, model } = await reportRun(written, report));
          },
        }
      : {}),
    ...(log ? { log } : {}),
    ...(signal ? { signal } : {}),
    ...(onStart ? { onStart } : {}),
    ...(onResume ? { onResume } : {}),
    ...(onSession ? { onSession } : {}),
  });
  return { ...run, files, ...(model !== undefined ? { model } : {}) };
}

export type { RunConfig, ProviderEntry, ConfigSource } from './config/run-config.js';
export { runConfigFromFile, mergeRunConfig } from './config/run-config.js';
export type { ReportOptions } from './config/report-options.js';
export type { SuitePlan } from './run/run-configured.js';
export type { Shard } from './core/matrix.js';
export { defineConfig, loadConfig, type LoadedConfig } from './config/load-config.js';
export type { BatchbenchConfig, ProviderConfig } from './config/schema.js';
export { writeReports as renderReport, renderReports, reportRun, reporters } from './reports/index.js';
export type { Reporter } from './reports/types.js';
export { readRun, type LoadedRun } from './core/run-file/run-files.js';
export { compareRuns, type CompareOptions, type CompareResult, type RunComparison, type ComparedRun } from './metrics/compare-runs.js';
export { analyseRun, type AnalysisOptions, type RunAnalysis } from './metrics/run-analysis.js';
export type { ReportModel } from './metrics/report-model.js';
export { DEFAULT_PRICES } from './metrics/prices.js';
export { sessionMetrics, tokenCurve, type SessionMetrics } from './metrics/session-metrics.js';
export { summarise, type GroupSummary } from './metrics/summary.js';
export { createProvider, providerFactories, type ProviderHandle, type ProviderOptions, type ProviderFactory } from './providers/registry.js';
export type { Provider, ModelRequest, ModelResponse, Message, Usage, ToolDefinition } from './providers/types.js';
export { defineHandlers, type ToolHandler, type ToolHandlers, type ToolHandlerContext } from './scenarios/tool-handlers.js';
export { loadScenarios } from './scenarios/load-scenarios.js';
export { loadVariants } from './scenarios/load-variants.js';
export type { SessionRecord, RunManifest, TurnRecord, CallRecord } from './core/run-file/records.js';
export { BatchbenchError, InputError, UsageError } from './core/errors.js';
