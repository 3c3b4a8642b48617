import { formatIssue } from '../../core/errors.js';
import { importTraces } from '../../run/traces/import-traces.js';
import { makeRedactor } from '../../run/traces/redact.js';
import { displayPath } from '../../core/input-files.js';
import { EXIT, type CliIO } from '../io.js';

export interface ImportTracesFlags {
  out: string;
  format?: string;
  skipInvalid?: boolean;
  redact?: string[];
}

/** `import traces`: recorded model calls -> a run directory. Exit 2 (nothing written) on bad input unless `--skip-invalid`. */
export async function importTracesCommand(files: string[], flags: ImportTracesFlags, io: CliIO, signal?: AbortSignal): Promise<number> {
  const result = await importTraces({
    ...(signal ? { signal } : {}),
    files,
    out: flags.out,
    ...(flags.format !== undefined ? { format: flags.format } : {}),
    skipInvalid: flags.skipInvalid === true,
    redact: makeRedactor(flags.redact ?? []),
  });
  if (result.interrupted === true) {
    io.err(`import interrupted: nothing written to ${displayPath(flags.out)}`);
    return EXIT.interrupted;
  }
  if (result.issues.length > 0) {
    for (const issue of result.issues) io.err(formatIssue(issue));
    io.err(`${result.issues.length} problem(s) found; nothing written`);
    return EXIT.usage;
  }
  const skipped = [...result.skipped].reduce((n, [, c]) => n + c, 0);
  if (skipped > 0) io.err(`skipped ${skipped} line(s): ${[...result.skipped].map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
  io.out(`imported ${result.calls} model call(s) (${result.format}) as ${result.sessions} session(s) into ${displayPath(flags.out)}; dependencies are inferred from data flow (docs/traces.md)`);
  return EXIT.ok;
}
