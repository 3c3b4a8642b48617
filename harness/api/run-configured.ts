import { resolveRunSettings, type RunFlags } from '../config/run-settings.js';
import type { BatchbenchConfig } from '../config/schema.js';
import { InputError, UsageError } from '../errors.js';
import { loadVariants } from '../prompts/load-variants.js';
import { createProvider } from '../providers/registry.js';
import type { RunManifest, SessionRecord } from '../records.js';
import { writeReports } from '../reports/index.js';
import { readRun } from '../run/run-files.js';
import { runSuite as runMatrix } from '../run/run-suite.js';
import { strategyIssues } from '../run/strategies/index.js';
import { filterScenarios } from '../scenarios/filter.js';
import { loadScenarios } from '../scenarios/load-scenarios.js';

export interface SuiteOptions extends BatchbenchConfig {
  /** Flags as the CLI would take them; they override the config fields. */
  flags?: RunFlags;
  /** Stops starting sessions when aborted. */
  signal?: AbortSignal;
  /** Called after each session is written. */
  onSession?: (record: SessionRecord, written: number, planned: number) => void;
  /** Write report.html, summary.md and the CSVs at the end (default true). */
  reports?: boolean;
}

export interface SuiteResult {
  dir: string;
  manifest: RunManifest;
  sessions: SessionRecord[];
  /** Report files written. */
  files: string[];
}

/**
 * Runs a suite described by a config object (the same fields as
 * `batchbench.config.yaml`) and returns the run: what `batchbench run` does.
 */
export async function runConfiguredSuite(options: SuiteOptions = {}): Promise<SuiteResult> {
  const { flags = {}, signal, onSession, reports = true, ...config } = options;
  const settings = resolveRunSettings(config, flags);
  const s = loadScenarios(settings.scenarioPaths);
  const v = loadVariants(settings.variantPaths);
  const issues = [...s.issues, ...v.issues, ...strategyIssues(v.variants)];
  if (issues.length > 0) throw new InputError(issues);
  const scenarios = filterScenarios(s.scenarios, settings.tags);
  const variants = settings.variantIds.length > 0 ? v.variants.filter((x) => settings.variantIds.includes(x.id)) : v.variants;
  if (scenarios.length === 0 || variants.length === 0) throw new UsageError('no scenario or no variant to run');
  const providers = settings.providers.map((p) => createProvider(p.spec, p.options));
  try {
    const { dir } = await runMatrix({
      scenarios,
      variants,
      providers,
      repeats: settings.repeats,
      concurrency: settings.concurrency,
      seed: settings.seed,
      outDir: settings.out,
      ...(settings.runId !== undefined ? { runId: settings.runId } : {}),
      modelLatencyMs: settings.modelLatencyMs,
      maxTurns: settings.maxTurns,
      ...(signal ? { signal } : {}),
      ...(onSession ? { onSession } : {}),
    });
    const files = reports ? await writeReports(dir) : [];
    const run = readRun(dir);
    return { dir, manifest: run.manifest, sessions: run.sessions, files };
  } finally {
    await Promise.all(providers.map((p) => p.close?.()));
  }
}
