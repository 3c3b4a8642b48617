import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from '../../core/version.js';
import { formatIssue, type InputIssue } from '../../core/errors.js';
import { convertBfcl } from '../../scenarios/import/bfcl.js';
import type { BfclSource } from '../../scenarios/import/bfcl-input.js';
import { displayPath, readInputFile } from '../../core/input-files.js';
import { EXIT, type CliIO } from '../io.js';

export interface ImportBfclOptions {
  out: string;
  /** Fail (exit 2, nothing written) when any question would be skipped. */
  strict?: boolean;
}

/** Largest BFCL questions or answers file read: 256 MiB (the published files are a few MB). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

function readSource(file: string, issues: InputIssue[]): BfclSource | undefined {
  const shown = displayPath(file);
  const read = readInputFile(file, shown, MAX_IMPORT_BYTES);
  if (read.text === undefined) {
    issues.push(...read.issues);
    return undefined;
  }
  return { file: shown, text: read.text };
}

/**
 * `import bfcl`: converts BFCL questions and answers into scenario files in
 * `opts.out`. Questions that cannot be converted are skipped with their reason
 * (exit 0); with `--strict`, or when nothing converts, it exits 2 and writes nothing.
 * Prints what was mapped (tool names), dropped (optional parameters absent
 * from a schema) and skipped.
 */
export function importBfclCommand(questionsFile: string, answersFile: string, opts: ImportBfclOptions, io: CliIO): number {
  const unreadable: InputIssue[] = [];
  const questions = readSource(questionsFile, unreadable);
  const answers = readSource(answersFile, unreadable);
  if (!questions || !answers) {
    for (const issue of unreadable) io.err(formatIssue(issue));
    io.err(`${unreadable.length} problem(s) found; nothing written`);
    return EXIT.usage;
  }
  // The schema as the written files see it: the package's schemas/, relative to the output directory.
  const schema = relative(resolve(opts.out), join(PACKAGE_ROOT, 'schemas', 'scenario.schema.json')).split(sep).join('/');
  const result = convertBfcl(questions, answers, schema);
  const skipped = result.questionCount - result.scenarios.length;
  if (result.scenarios.length === 0 || (opts.strict && result.issues.length > 0)) {
    for (const issue of result.issues) io.err(formatIssue(issue));
    const why = result.scenarios.length === 0 ? 'no question could be converted' : '--strict';
    io.err(`${result.issues.length} problem(s) found; nothing written (${why})`);
    return EXIT.usage;
  }
  mkdirSync(opts.out, { recursive: true });
  for (const f of result.files) writeFileSync(join(opts.out, f.name), f.text);
  const renamed = new Map(result.scenarios.flatMap((s) => [...s.renamed]));
  const calls = result.scenarios.reduce((n, s) => n + s.document.expected_calls.length, 0);
  const withContext = result.scenarios.filter((s) => s.document.context !== undefined).length;
  const example = [...renamed].slice(0, 1).map(([from, to]) => ` (e.g. ${from} -> ${to})`).join('');
  io.out(
    `converted ${result.scenarios.length} of ${result.questionCount} question(s) into ${displayPath(opts.out)}: ${calls} expected call(s), ${renamed.size} tool name(s) mapped${example}`,
  );
  if (withContext > 0) io.out(`mapped the system messages of ${withContext} question(s) to the scenario's context`);
  io.out(`dropped ${result.dropped.length} optional ground-truth parameter(s) absent from their function's schema`);
  for (const d of result.dropped) io.out(`  ${formatIssue(d)}`);
  io.out(`skipped ${skipped} question(s)${skipped > 0 ? ' (--strict fails instead):' : ''}`);
  for (const issue of result.issues) io.out(`  ${formatIssue(issue)}`);
  return EXIT.ok;
}
