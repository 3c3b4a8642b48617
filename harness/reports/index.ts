import { readRun, type LoadedRun } from '../core/run-file/run-files.js';
import { csvReporter } from './csv-reporter.js';
import { htmlReporter } from './html-reporter.js';
import { markdownReporter } from './markdown-reporter.js';
import type { ReportOptions } from '../config/report-options.js';
import { statsCsvReporter } from './stats-csv-reporter.js';
import type { Reporter } from './types.js';

export type { ReportOptions } from '../config/report-options.js';

/** Reporters by name, in the order `writeReports` runs them. */
export const reporters: Record<string, Reporter> = {
  csv: csvReporter,
  'stats-csv': statsCsvReporter,
  markdown: markdownReporter,
  html: htmlReporter,
};

/** Renders every report of a run directory from its run file alone. */
export async function writeReports(runDir: string, names: readonly string[] = Object.keys(reporters), options: ReportOptions = {}): Promise<string[]> {
  return writeReportsOf(readRun(runDir), names, options);
}

/** Renders every report of a run already read (`readRun`) into its directory. */
export async function writeReportsOf(run: LoadedRun, names: readonly string[] = Object.keys(reporters), options: ReportOptions = {}): Promise<string[]> {
  const files: string[] = [];
  for (const name of names) {
    const reporter = reporters[name];
    if (reporter) files.push(...(await reporter.write(run, run.dir, options)));
  }
  return files;
}
