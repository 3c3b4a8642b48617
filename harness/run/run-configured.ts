import { join } from 'node:path';
import { checkMatrixSize, resolveRunSettings, splitList, type RunFlags } from '../config/run-settings.js';
import { displayPath } from '../core/input-files.js';
import type { BatchbenchConfig } from '../config/schema.js';
import { readLegacyVariants } from '../config/variant-keys.js';
import { InputError, UsageError } from '../core/errors.js';
import { createProvider } from '../providers/registry.js';
import type { RunManifest, SessionRecord } from '../core/run-file/records.js';
import { reportRun } from '../reports/index.js';
import type { ReportModel } from '../metrics/report-model.js';
import { checkReportOptions, type ReportOptions } from '../config/report-options.js';
import { assertRunDir, type ResumeState } from './resume.js';
import { readRun } from '../core/run-file/run-files.js';
import { newRunId } from '../core/run-file/run-id.js';
import { acquireRunLock } from '../core/run-file/run-lock.js';
import { runSuite as runMatrix } from './run-suite.js';
import type { Shard } from '../core/matrix.js';
import { loadInputs } from './load-inputs.js';

export interface SuiteOptions extends BatchbenchConfig {
  /** Overrides as the CLI takes them; they win over the config fields. */
  flags?: RunFlags;
  /** Report choices; they win over the config's `report:` fields. */
  reportOptions?: ReportOptions;
  /** Run only this deterministic part of the matrix. */
  shard?: Shard;
  /** Continue the run named by `flags.runId` under `flags.out`/`out`: sessions already on disk are kept. */
  resume?: boolean;
  /** On resume, keep errored and skipped sessions as they are (default: run them again). */
  keepErrored?: boolean;
  /** Called on resume once the run directory is read, before any session runs. */
  onResume?: (state: ResumeState) => void;
  /** Notices for the user: a stale lock taken over, a provider halted. */
  log?: (line: string) => void;
  /** Stops starting sessions when aborted. */
  signal?: AbortSignal;
  /** Called once the matrix is known, before the first session. */
  onStart?: (plan: SuitePlan) => void;
  /** Called after each session is written. */
  onSession?: (record: SessionRecord, written: number, planned: number) => void;
  /** The config file the options came from: errors about its fields name it. */
  configFile?: string;
  /** Write report.html, summary.md and the CSVs at the end (default true). */
  reports?: boolean;
}

export interface SuitePlan {
  /** Sessions this run (or shard) will hold. */
  planned: number;
  /** Sessions of the whole matrix. */
  matrix: number;
  providers: number;
  variants: number;
  scenarios: number;
  repeats: number;
}

export interface SuiteResult {
  dir: string;
  manifest: RunManifest;
  sessions: SessionRecord[];
  /** Report files written. */
  files: string[];
  /** What the reports were rendered from (when they were written). */
  model?: ReportModel;
}

/** The config file's `report:` choices under the given ones. */
export function reportOptionsOf(config: BatchbenchConfig, given: ReportOptions = {}): ReportOptions {
  const r = config.report;
  return {
    ...(r?.baseline !== undefined ? { baseline: r.baseline } : {}),
    ...(r?.compare_by !== undefined ? { compareBy: r.compare_by } : {}),
    ...(r?.baseline_provider !== undefined ? { baselineProvider: r.baseline_provider } : {}),
    ...(r?.price_model !== undefined ? { priceModel: r.price_model } : {}),
    ...(r?.prices !== undefined ? { pricesFile: r.prices } : {}),
    ...(r?.generalize !== undefined ? { generalize: r.generalize } : {}),
    ...(r?.holm_scope !== undefined ? { holmScope: r.holm_scope } : {}),
    ...given,
  };
}

/**
 * Runs a suite described by a config object (the fields of
 * `batchbench.config.yaml`) plus overrides, writes its reports and returns the
 * run: what `batchbench run` does, without the terminal.
 */
export async function runConfiguredSuite(options: SuiteOptions = {}): Promise<SuiteResult> {
  const { flags = {}, reportOptions: given, shard, resume, keepErrored, onResume, log, signal, onStart, onSession, reports = true, configFile, ...given0 } = options;
  // An options object of the API may still give prompt paths as `variants:`.
  const legacy = readLegacyVariants(given0, process.cwd(), 'runSuite options');
  if (legacy.warning !== undefined) (log ?? ((line: string) => process.emitWarning(line, 'DeprecationWarning')))(legacy.warning);
  const config = legacy.config;
  const settings = resolveRunSettings(config, flags);
  const { scenarios, variants } = loadInputs({
    scenarios: settings.scenarioPaths,
    prompts: settings.variantPaths,
    tags: settings.tags,
    variants: settings.variantIds,
    ...(configFile !== undefined && splitList(flags.variants).length === 0 && config.variants !== undefined ? { variantsFrom: displayPath(configFile) } : {}),
    ...(config.max_fixture_bytes !== undefined ? { maxFixtureBytes: config.max_fixture_bytes } : {}),
  });
  checkMatrixSize({ providers: settings.providers.length, variants: variants.length, scenarios: scenarios.length, repeats: settings.repeats });
  const reportOptions = reportOptionsOf(config, given);
  // Report choices are checked before the first session, not after the last.
  if (reportOptions.baseline !== undefined && !variants.some((v) => v.id === reportOptions.baseline)) {
    if (given?.baseline === undefined && configFile !== undefined) {
      throw new InputError([{ file: displayPath(configFile), path: 'report.baseline', message: `"${reportOptions.baseline}" is not a variant of this run; its variants are: ${variants.map((v) => v.id).join(', ')}` }]);
    }
    throw new UsageError(`--baseline "${reportOptions.baseline}" is not a variant of this run; its variants are: ${variants.map((v) => v.id).join(', ')}`);
  }
  if (reportOptions.baselineProvider !== undefined && !settings.providers.some((p) => p.spec === reportOptions.baselineProvider)) {
    throw new UsageError(`--baseline-provider "${reportOptions.baselineProvider}" is not a provider of this run; its providers are: ${settings.providers.map((p) => p.spec).join(', ')}`);
  }
  checkReportOptions(reportOptions);

  const runId = settings.runId ?? newRunId();
  const dir = join(settings.out, runId);
  if (resume) assertRunDir(dir);
  const providers = settings.providers.map((p) => createProvider(p.spec, p.options));
  const matrix = providers.length * variants.length * scenarios.length * settings.repeats;
  // Shard i/n holds the sessions at plan positions i-1, i-1+n, ... (harness/core/matrix.ts).
  const planned = shard ? Math.max(0, Math.floor((matrix - shard.index) / shard.count) + 1) : matrix;
  // Held from the first session to the last report: one writer per run directory.
  let lock;
  try {
    lock = acquireRunLock(dir, { command: 'run', ...(log ? { log } : {}) });
  } catch (e) {
    await Promise.all(providers.map((p) => p.close?.()));
    throw e;
  }
  onStart?.({ planned, matrix, providers: providers.length, variants: variants.length, scenarios: scenarios.length, repeats: settings.repeats });
  try {
    try {
      await runMatrix({
        scenarios,
        variants,
        providers,
        repeats: settings.repeats,
        concurrency: settings.concurrency,
        seed: settings.seed,
        outDir: settings.out,
        runId,
        modelLatencyMs: settings.modelLatencyMs,
        modelLatencyByProvider: settings.modelLatencyByProvider,
        maxTurns: settings.maxTurns,
        lock,
        ...(signal ? { signal } : {}),
        ...(shard ? { shard } : {}),
        ...(resume ? { resume: true } : {}),
        ...(keepErrored ? { keepErrored: true } : {}),
        ...(onResume ? { onResume } : {}),
        ...(log ? { log } : {}),
        ...(onSession ? { onSession } : {}),
      });
    } finally {
      await Promise.all(providers.map((p) => p.close?.()));
    }
    const run = readRun(dir);
    if (!reports) return { dir, manifest: run.manifest, sessions: run.sessions, files: [] };
    const { model, files } = await reportRun(run, reportOptions);
    return { dir, manifest: run.manifest, sessions: run.sessions, files, model };
  } finally {
    lock.release();
  }
}
