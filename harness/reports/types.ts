import type { ReportModel } from '../metrics/report-model.js';

/** A report writer: renders files into `dir` from the report model alone and returns their paths. */
export interface Reporter {
  readonly name: string;
  write(model: ReportModel, dir: string): Promise<string[]>;
}
