import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, type InputIssue } from '../../errors.js';
import { convertBfcl } from '../../import/bfcl.js';
import type { BfclSource } from '../../import/bfcl-input.js';
import { displayPath, readInputFile } from '../../input-files.js';
import { EXIT, type CliIO } from '../io.js';

export interface ImportBfclOptions {
  out: string;
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

/** `import bfcl`: converts BFCL questions and answers into scenario files in `opts.out`. Writes nothing when any input is bad. */
export function importBfclCommand(questionsFile: string, answersFile: string, opts: ImportBfclOptions, io: CliIO): number {
  const issues: InputIssue[] = [];
  const questions = readSource(questionsFile, issues);
  const answers = readSource(answersFile, issues);
  const result = questions && answers ? convertBfcl(questions, answers) : undefined;
  issues.push(...(result?.issues ?? []));
  if (!result || issues.length > 0) {
    for (const issue of issues) io.err(formatIssue(issue));
    io.err(`${issues.length} problem(s) found; nothing written`);
    return EXIT.usage;
  }
  mkdirSync(opts.out, { recursive: true });
  for (const f of result.files) writeFileSync(join(opts.out, f.name), f.text);
  const renamed = new Map(result.scenarios.flatMap((s) => [...s.renamed]));
  const calls = result.scenarios.reduce((n, s) => n + s.document.expected_calls.length, 0);
  const example = [...renamed].slice(0, 1).map(([from, to]) => ` (e.g. ${from} -> ${to})`).join('');
  io.out(`converted ${result.files.length} question(s) into ${displayPath(opts.out)}: ${calls} expected call(s), ${renamed.size} tool name(s) mapped${example}`);
  return EXIT.ok;
}
