import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { reportRun, type ReportOptions } from '../../reports/index.js';
import { displayPath } from '../../core/input-files.js';
import { UsageError } from '../../core/errors.js';
import { MANIFEST_FILE, readRun } from '../../core/run-file/run-files.js';
import { acquireRunLock } from '../../core/run-file/run-lock.js';
import type { ReportFlags } from '../flags.js';
import { EXIT, type CliIO } from '../io.js';
import { warnCutLine } from '../run-warnings.js';

/** The report flags (parsed and checked by their parsers) as report options; the reports check them against the run. */
export function reportOptionsFrom(flags: ReportFlags): ReportOptions {
  return {
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
    ...(flags.compareBy !== undefined ? { compareBy: flags.compareBy } : {}),
    ...(flags.baselineProvider !== undefined ? { baselineProvider: flags.baselineProvider } : {}),
    ...(flags.priceModel !== undefined ? { priceModel: flags.priceModel } : {}),
    ...(flags.prices !== undefined ? { pricesFile: flags.prices } : {}),
    ...(flags.resamples !== undefined ? { resamples: flags.resamples } : {}),
    ...(flags.holmScope !== undefined ? { holmScope: flags.holmScope } : {}),
    ...(flags.generalize !== undefined ? { generalize: flags.generalize } : {}),
  };
}

/** Regenerates every report of a run directory from its run file, running nothing. */
export async function reportCommand(runDir: string, io: CliIO, flags: ReportFlags = {}): Promise<number> {
  const options = reportOptionsFrom(flags);
  if (!existsSync(join(runDir, MANIFEST_FILE))) throw new UsageError(`${displayPath(runDir)}: no ${MANIFEST_FILE} there; give a directory written by \`batchbench run\``);
  // The reports are files of the run directory: written under its lock, never while a run or merge writes it.
  const lock = acquireRunLock(runDir, { command: 'report', log: (line) => io.err(line) });
  try {
    const run = readRun(runDir);
    warnCutLine(run.cutLine, io);
    const { files } = await reportRun(run, options);
    for (const f of files) io.out(`wrote ${displayPath(f)}`);
  } finally {
    lock.release();
  }
  return EXIT.ok;
}
