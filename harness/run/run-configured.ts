import { join } from 'node:path';
import { checkMatrixSize, type RunSettings } from '../config/run-settings.js';
import { sourceOf } from '../config/run-config.js';
import type { PlannedMatrix } from '../config/report-choices.js';
import { shardSize } from '../core/matrix.js';
import type { SessionRecord } from '../core/run-file/records.js';
import { readRun, writtenRun, type LoadedRun } from '../core/run-file/run-files.js';
import { newRunId } from '../core/run-file/run-id.js';
import { acquireRunLock } from '../core/run-file/run-lock.js';
import { createProvider } from '../providers/registry.js';
import { loadInputs } from './load-inputs.js';
import { assertRunDir, type ResumeState } from './resume.js';
import { runSuite as runMatrix, type RunResult } from './run-suite.js';

/** What the caller of a configured run hears about it; the run itself is all in `RunSettings`. */
export interface RunHooks {
  /** Called once the scenarios and variants are loaded, before anything is written: throw to refuse the run (the caller checks its report choices here). */
  checkPlan?: (matrix: PlannedMatrix) => void;
  /** Called once the matrix is known, before the first session. */
  onStart?: (plan: SuitePlan) => void;
  /** Called on resume once the run directory is read, before any session runs. */
  onResume?: (state: ResumeState) => void;
  /** Called after each session is written. */
  onSession?: (record: SessionRecord, written: number, planned: number) => void;
  /**
   * Called with the run once its sessions are written (also when interrupted),
   * still under the run directory's lock: the caller writes its reports here,
   * so no other writer comes between the last session and the last report.
   */
  finish?: (run: LoadedRun) => Promise<void>;
  /** Notices for the user: a stale lock taken over, a provider halted. */
  log?: (line: string) => void;
  /** Stops starting sessions when aborted. */
  signal?: AbortSignal;
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

/**
 * Runs the suite the settings describe: loads scenarios and variants, runs the
 * matrix (or its shard, or the rest of a run on resume) and writes the run
 * file. Returns the run as `readRun` reads it (on a fresh run, from the records
 * just written, without reading them back); rendering it is the caller's
 * (`finish`). What `batchbench run` and the public `runSuite` both call.
 */
export async function runConfiguredSuite(settings: RunSettings, hooks: RunHooks = {}): Promise<LoadedRun> {
  const { checkPlan, onStart, onResume, onSession, finish, log, signal } = hooks;
  const variantsFrom = sourceOf(settings.source, 'variants');
  const { scenarios, variants } = loadInputs({
    scenarios: settings.scenarioPaths,
    prompts: settings.variantPaths,
    tags: settings.tags,
    variants: settings.variantIds,
    // An unknown variant id from a file names the file and its field.
    ...(variantsFrom !== undefined ? { variantsFrom: variantsFrom.file } : {}),
    ...(settings.maxFixtureBytes !== undefined ? { maxFixtureBytes: settings.maxFixtureBytes } : {}),
  });
  checkMatrixSize({ providers: settings.providers.length, variants: variants.length, scenarios: scenarios.length, repeats: settings.repeats });
  checkPlan?.({ variants: variants.map((v) => v.id), providers: settings.providers.map((p) => p.spec) });

  const runId = settings.runId ?? newRunId();
  const dir = join(settings.out, runId);
  if (settings.resume) assertRunDir(dir);
  const providers = settings.providers.map((p) => createProvider(p.spec, p.options));
  const matrix = providers.length * variants.length * scenarios.length * settings.repeats;
  // Held from the first session to the last report: one writer per run directory.
  let lock;
  try {
    lock = acquireRunLock(dir, { command: 'run', ...(log ? { log } : {}) });
  } catch (e) {
    await Promise.all(providers.map((p) => p.close?.()));
    throw e;
  }
  let written: RunResult | undefined;
  try {
    try {
      onStart?.({ planned: shardSize(matrix, settings.shard), matrix, providers: providers.length, variants: variants.length, scenarios: scenarios.length, repeats: settings.repeats });
      written = await runMatrix({
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
        ...(settings.shard ? { shard: settings.shard } : {}),
        ...(settings.resume ? { resume: true } : {}),
        ...(settings.keepErrored ? { keepErrored: true } : {}),
        ...(onResume ? { onResume } : {}),
        ...(log ? { log } : {}),
        ...(onSession ? { onSession } : {}),
        keepSessions: true,
      });
    } finally {
      await Promise.all(providers.map((p) => p.close?.()));
    }
    // A fresh run holds the records it wrote; a resumed one (or one whose sessions file held lines) reads its file.
    const run = written?.sessions ? writtenRun(dir, written.sessions) : readRun(dir);
    await finish?.(run);
    return run;
  } finally {
    lock.release();
  }
}
