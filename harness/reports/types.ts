import type { LoadedRun } from '../core/run-file/run-files.js';
import type { ReportOptions } from '../config/report-options.js';

/** A report writer: renders files into `dir` from the run file alone and returns their paths. */
export interface Reporter {
  readonly name: string;
  write(run: LoadedRun, dir: string, options?: ReportOptions): Promise<string[]>;
}
