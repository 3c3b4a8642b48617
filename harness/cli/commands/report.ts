import { writeReports, type ReportOptions } from '../../reports/index.js';
import { displayPath } from '../../input-files.js';
import { UsageError } from '../../errors.js';
import { EXIT, type CliIO } from '../io.js';

/** Report choices as the CLI receives them (`report`, and `run` for the reports it writes at the end). */
export interface ReportFlags {
  baseline?: string;
  priceModel?: string;
  prices?: string;
  resamples?: string;
}

/** Turns the report flags into report options; the reports check them against the run. */
export function reportOptionsFrom(flags: ReportFlags): ReportOptions {
  let resamples: number | undefined;
  if (flags.resamples !== undefined) {
    resamples = Number(flags.resamples);
    if (!Number.isInteger(resamples) || resamples < 100) throw new UsageError(`--resamples must be an integer >= 100 (got "${flags.resamples}")`);
  }
  return {
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
    ...(flags.priceModel !== undefined ? { priceModel: flags.priceModel } : {}),
    ...(flags.prices !== undefined ? { pricesFile: flags.prices } : {}),
    ...(resamples !== undefined ? { resamples } : {}),
  };
}

/** Regenerates every report of a run directory from its run file, running nothing. */
export async function reportCommand(runDir: string, io: CliIO, flags: ReportFlags = {}): Promise<number> {
  const files = await writeReports(runDir, undefined, reportOptionsFrom(flags));
  for (const f of files) io.out(`wrote ${displayPath(f)}`);
  return EXIT.ok;
}
