import { readRun } from '../run/run-files.js';
import { csvReporter } from './csv-reporter.js';
import type { Reporter } from './types.js';

/** Reporters by name, in the order `writeReports` runs them. */
export const reporters: Record<string, Reporter> = {
  csv: csvReporter,
};

/** Renders every report of a run directory from its run file alone. */
export async function writeReports(runDir: string, names: readonly string[] = Object.keys(reporters)): Promise<string[]> {
  const run = readRun(runDir);
  const files: string[] = [];
  for (const name of names) {
    const reporter = reporters[name];
    if (reporter) files.push(...(await reporter.write(run, runDir)));
  }
  return files;
}
