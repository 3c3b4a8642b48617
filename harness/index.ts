/**
 * batchbench's programmatic API: the same entry points the CLI uses.
 *
 *   import { runSuite, renderReport } from 'batchbench';
 *   const run = await runSuite({ providers: ['ref:optimal'], scenarios: ['scenarios'], prompts: ['prompts'] });
 *   await renderReport(run.dir);
 *   const model = analyseRun(run, { prices: DEFAULT_PRICES });      // everything the reports show, computed once
 *   const verdict = compareRuns(readRun(baselineDir), run);           // two runs, with regression gates
 */
export { runConfiguredSuite as runSuite, type SuiteOptions, type SuiteResult } from './run/run-configured.js';
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
