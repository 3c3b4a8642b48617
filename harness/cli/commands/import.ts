import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, type InputIssue } from '../../errors.js';
import { convertBfcl } from '../../import/bfcl.js';
import type { BfclSource } from '../../import/bfcl-input.js';
import { displayPath } from '../../input-files.js';
import { EXIT, type CliIO } from '../io.js';

export interface ImportBfclOptions {
  out: string;
}

function readSource(file: string, issues: InputIssue[]): BfclSource | undefined {
  try {
    return { file: displayPath(file), text: readFileSync(file, 'utf8') };
  } catch (e) {
    issues.push({ file: displayPath(file), path: '', message: `cannot read: ${(e as Error).message}` });
    return undefined;
  }
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
