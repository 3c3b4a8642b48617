import { formatIssue } from '../../errors.js';
import { loadVariants } from '../../prompts/load-variants.js';
import { dataFlowIssues } from '../../scenarios/data-flow-lint.js';
import { loadScenarios } from '../../scenarios/load-scenarios.js';
import { loadHandlerModules } from '../../scenarios/tool-handlers.js';
import { strategyIssues } from '../../run/strategies/index.js';
import { EXIT, splitList, type CliIO } from '../io.js';

export interface ValidateOptions {
  scenarios?: string[] | string;
  prompts?: string[] | string;
  /** Treat data-flow lint warnings as problems (exit 2). */
  strict?: boolean;
}

/** Checks every scenario and prompt file; prints each problem with file and field path. */
export async function validateCommand(opts: ValidateOptions, io: CliIO): Promise<number> {
  const scenarioPaths = splitList(opts.scenarios);
  const promptPaths = splitList(opts.prompts);
  const s = loadScenarios(scenarioPaths.length > 0 ? scenarioPaths : ['scenarios']);
  const v = loadVariants(promptPaths.length > 0 ? promptPaths : ['prompts']);
  const issues = [...s.issues, ...v.issues, ...strategyIssues(v.variants), ...(await loadHandlerModules(s.scenarios))];
  for (const issue of issues) io.err(formatIssue(issue));
  if (issues.length > 0) {
    io.err(`${issues.length} problem(s) found`);
    return EXIT.usage;
  }
  const warnings = s.scenarios.flatMap(dataFlowIssues);
  for (const w of warnings) io.err(`${opts.strict ? '' : 'warning: '}${formatIssue(w)}`);
  if (warnings.length > 0 && opts.strict) {
    io.err(`${warnings.length} data-flow problem(s) found (--strict)`);
    return EXIT.usage;
  }
  if (warnings.length > 0) io.err(`${warnings.length} data-flow warning(s); --strict makes them fail`);
  io.out(`ok: ${s.scenarios.length} scenario(s), ${v.variants.length} prompt variant(s)`);
  return EXIT.ok;
}
