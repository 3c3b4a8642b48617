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

export function formatIssue(issue: InputIssue): string {
  const where = issue.path === '' ? issue.file : `${issue.file}: ${issue.path}`;
  return `${where}: ${issue.message}`;
}
