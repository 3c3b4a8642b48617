import type { HolmScope } from '../../metrics/holm-scope.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeReports, type ReportOptions } from '../../reports/index.js';
import { displayPath } from '../../core/input-files.js';
import { UsageError } from '../../core/errors.js';
import type { CompareAxis } from '../../metrics/compare-axis.js';
import { MANIFEST_FILE } from '../../core/run-file/run-files.js';
import { acquireRunLock } from '../../core/run-file/run-lock.js';
import { EXIT, type CliIO } from '../io.js';

/** Report choices as the CLI receives them (`report`, and `run` for the reports it writes at the end). */
export interface ReportFlags {
  baseline?: string;
  compareBy?: string;
  baselineProvider?: string;
  priceModel?: string;
  prices?: string;
  resamples?: string;
  holmScope?: string;
  generalize?: string;
}

/** Turns the report flags into report options; `checkReportOptions` and `resolveAnalysisOptions` (config/report-options.ts) check their values, once. */
export function reportOptionsFrom(flags: ReportFlags): ReportOptions {
  let resamples: number | undefined;
  if (flags.resamples !== undefined) {
    resamples = Number(flags.resamples);
    if (!Number.isInteger(resamples) || resamples < 100) throw new UsageError(`--resamples must be an integer >= 100 (got "${flags.resamples}")`);
  }
  return {
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
    ...(flags.compareBy !== undefined ? { compareBy: flags.compareBy as CompareAxis } : {}),
    ...(flags.baselineProvider !== undefined ? { baselineProvider: flags.baselineProvider } : {}),
    ...(flags.priceModel !== undefined ? { priceModel: flags.priceModel } : {}),
    ...(flags.prices !== undefined ? { pricesFile: flags.prices } : {}),
    ...(resamples !== undefined ? { resamples } : {}),
    ...(flags.holmScope !== undefined ? { holmScope: flags.holmScope as HolmScope } : {}),
    ...(flags.generalize !== undefined ? { generalize: flags.generalize as 'tasks' } : {}),
  };
}

/** Regenerates every report of a run directory from its run file, running nothing. */
export async function reportCommand(runDir: string, io: CliIO, flags: ReportFlags = {}): Promise<number> {
  const options = reportOptionsFrom(flags);
  if (!existsSync(join(runDir, MANIFEST_FILE))) throw new UsageError(`${displayPath(runDir)}: no ${MANIFEST_FILE} there; give a directory written by \`batchbench run\``);
  // The reports are files of the run directory: written under its lock, never while a run or merge writes it.
  const lock = acquireRunLock(runDir, { command: 'report', log: (line) => io.err(line) });
  try {
    const files = await writeReports(runDir, undefined, options);
    for (const f of files) io.out(`wrote ${displayPath(f)}`);
  } finally {
    lock.release();
  }
  return EXIT.ok;
}
