import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { schemaModeline } from '../../core/project-files.js';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from '../../core/version.js';
import { formatIssue } from '../../core/errors.js';
import { scenarioFromTrace } from '../../scenarios/import/scenario-from-trace.js';
import { displayPath } from '../../core/input-files.js';
import { readRun, SESSIONS_FILE } from '../../core/run-file/run-files.js';
import { EXIT, type CliIO } from '../io.js';
import { warnCutLine } from '../run-warnings.js';

export interface ScenarioFromTraceFlags {
  out: string;
  force?: boolean;
}

/** `scenario from-trace`: writes one imported session as a scenario file. `sessionId` is `s3` (as listed in `extra.trace`) or a session key. */
export function scenarioFromTraceCommand(runDir: string, sessionId: string, flags: ScenarioFromTraceFlags, io: CliIO): number {
  const run = readRun(runDir);
  warnCutLine(run.cutLine, io);
  const where = displayPath(join(runDir, SESSIONS_FILE));
  const session = run.sessions.find((s) => s.key === sessionId || s.extra?.trace?.sessionId === sessionId);
  if (session === undefined) {
    io.err(`${where}: no session ${JSON.stringify(sessionId)} (give an imported session id such as s1, or a session key)`);
    return EXIT.usage;
  }
  const { scenario, issues } = scenarioFromTrace(session, where);
  if (!scenario) {
    for (const issue of issues) io.err(formatIssue(issue));
    return EXIT.usage;
  }
  if (existsSync(flags.out) && flags.force !== true) {
    io.err(`${displayPath(flags.out)}: exists (pass --force to overwrite)`);
    return EXIT.usage;
  }
  mkdirSync(dirname(flags.out), { recursive: true });
  // The editor's schema line first, pointing from the file's directory at the package's scenario schema.
  const schema = relative(dirname(resolve(flags.out)), join(PACKAGE_ROOT, 'schemas', 'scenario.schema.json')).split(sep).join('/');
  writeFileSync(flags.out, `${schemaModeline(schema)}\n${scenario.yaml}`);
  io.out(`wrote ${displayPath(flags.out)}: scenario ${scenario.document.id}, ${scenario.document.expected_calls.length} expected call(s) with inferred needs; answer checks are TODO`);
  return EXIT.ok;
}
