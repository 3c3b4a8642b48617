/** Base class for every error batchbench raises on purpose. */
export class BatchbenchError extends Error {
  override readonly name: string = 'BatchbenchError';
}

/** One problem found in an input file, located by file and field path. */
export interface InputIssue {
  file: string;
  /** Dotted path of the offending field, e.g. `tools.2.parameters`; empty for the whole file. */
  path: string;
  message: string;
}

/** Bad input (scenario, prompt, config or run file). The CLI exits 2 on it. */
export class InputError extends BatchbenchError {
  override readonly name = 'InputError';
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.issues = issues;
  }
}

/** Bad command-line usage. The CLI exits 2 on it. */
export class UsageError extends BatchbenchError {
  override readonly name = 'UsageError';
}

/** Error codes of failures that come from the machine (a full disk, no permission, a read-only file system), not from batchbench. */
const ENVIRONMENT_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE', 'EFBIG']);

/** Whether `e` is a system error the machine caused (see ENVIRONMENT_CODES). */
export function isEnvironmentError(e: unknown): e is Error & { code: string } {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && ENVIRONMENT_CODES.has(code);
}

/**
 * A file batchbench writes could not be written (the disk is full, the directory read-only, ...):
 * `path` is that file, or for a report the run directory it goes to. The CLI exits 1 and says
 * what is kept and how to go on.
 */
export class FileWriteError extends BatchbenchError {
  override readonly name = 'FileWriteError';
  readonly path: string;
  /** The report that could not be written, when it is one. */
  readonly report: string | undefined;

  constructor(path: string, shown: string, cause: Error, report?: string) {
    super(`cannot write ${report !== undefined ? `the ${report} report in ${shown}` : shown}: ${cause.message}`, { cause });
    this.path = path;
    this.report = report;
  }
}

export function formatIssue(issue: InputIssue): string {
  const where = issue.path === '' ? issue.file : `${issue.file}: ${issue.path}`;
  return `${where}: ${issue.message}`;
}
