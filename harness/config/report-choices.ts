import { InputError, UsageError } from '../core/errors.js';
import { checkReportOptions, type ReportOptions } from './report-options.js';
import { sourceOf, type ConfigSource } from './run-config.js';

/** The variants and providers (specs) a run will hold, known once its inputs are loaded. */
export interface PlannedMatrix {
  variants: readonly string[];
  providers: readonly string[];
}

/**
 * Checks the report choices against the run about to start, so that a bad
 * baseline or price model stops it before the first session, not after the
 * last. A choice from a config file (or `runSuite options`) is named by its
 * file and field, one from a flag by the flag. Throws `InputError` / `UsageError`.
 */
export function checkReportChoices(options: ReportOptions, matrix: PlannedMatrix, source: ConfigSource | undefined): void {
  const refuse = (field: string, flag: string, message: string): never => {
    const from = sourceOf(source, field);
    if (from !== undefined) throw new InputError([{ ...from, message }]);
    throw new UsageError(`${flag} ${message}`);
  };
  if (options.baseline !== undefined && !matrix.variants.includes(options.baseline)) {
    refuse('report.baseline', '--baseline', `"${options.baseline}" is not a variant of this run; its variants are: ${matrix.variants.join(', ')}`);
  }
  if (options.baselineProvider !== undefined && !matrix.providers.includes(options.baselineProvider)) {
    refuse('report.baselineProvider', '--baseline-provider', `"${options.baselineProvider}" is not a provider of this run; its providers are: ${matrix.providers.join(', ')}`);
  }
  checkReportOptions(options);
}
