import { BatchbenchError, InputError, isEnvironmentError, UsageError } from '../core/errors.js';

/** Where a command writes; tests pass their own. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Whether stderr is an interactive terminal (progress bar) or not (plain lines). */
  isTTY: boolean;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: Boolean(process.stderr.isTTY),
};

/**
 * Exit codes of every command: 0 success, 1 regression (compare), 2 usage or
 * input error, 3 sessions errored or skipped (run; see `--max-error-rate`), 130 interrupted.
 */
export const EXIT = { ok: 0, regression: 1, usage: 2, errored: 3, interrupted: 130 } as const;

/**
 * The exit code of an error a command threw, after printing it: an input error's lines as they are and
 * exit 2, a usage error after `error: ` and exit 2, any other batchbench error after `error: ` and exit 1.
 * Anything else is a bug and is thrown again.
 */
export function errorExitCode(e: unknown, io: CliIO): number {
  if (e instanceof InputError) {
    for (const line of e.message.split('\n')) io.err(line);
    return EXIT.usage;
  }
  if (e instanceof UsageError) {
    io.err(`error: ${e.message}`);
    return EXIT.usage;
  }
  if (e instanceof BatchbenchError) {
    io.err(`error: ${e.message}`);
    return 1;
  }
  // The machine's doing (a full disk, no permission), wherever it was met: its message, not a stack trace.
  if (isEnvironmentError(e)) {
    io.err(`error: ${e.message}`);
    return 1;
  }
  throw e;
}

/** Renders rows as an aligned plain-text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
