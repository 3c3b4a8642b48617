import { FileWriteError, isEnvironmentError } from '../core/errors.js';
import { displayPath } from '../core/input-files.js';
import { readRun, type LoadedRun } from '../core/run-file/run-files.js';
import { resolveAnalysisOptions, type ReportOptions } from '../config/report-options.js';
import type { ReportModel } from '../metrics/report-model.js';
import { analyseRun } from '../metrics/run-analysis.js';
import { csvReporter } from './csv-reporter.js';
import { htmlReporter } from './html-reporter.js';
import { markdownReporter } from './markdown-reporter.js';
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

/** Renders the named reports of one model into `dir`. */
export async function renderReports(model: ReportModel, dir: string, names: readonly string[] = Object.keys(reporters)): Promise<string[]> {
  const files: string[] = [];
  for (const name of names) {
    const reporter = reporters[name];
    if (!reporter) continue;
    try {
      files.push(...(await reporter.write(model, dir)));
    } catch (e) {
      throw isEnvironmentError(e) ? new FileWriteError(dir, displayPath(dir), e, name) : e;
    }
  }
  return files;
}

/** Checks the options against a run already read (`readRun`) once, analyses it once and renders its reports into its directory. */
export async function reportRun(run: LoadedRun, options: ReportOptions = {}, names: readonly string[] = Object.keys(reporters)): Promise<{ model: ReportModel; files: string[] }> {
  const model = analyseRun(run, resolveAnalysisOptions(run, options));
  return { model, files: await renderReports(model, run.dir, names) };
}

/** Renders every report of a run directory from its run file alone. */
export async function writeReports(runDir: string, names: readonly string[] = Object.keys(reporters), options: ReportOptions = {}): Promise<string[]> {
  return (await reportRun(readRun(runDir), options, names)).files;
}
