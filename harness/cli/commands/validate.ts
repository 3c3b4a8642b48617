import { loadCheckedVariants } from '../../run/load-inputs.js';
import { loadConfig } from '../../config/load-config.js';
import { formatIssue, type InputIssue } from '../../core/errors.js';
import { displayPath, expandPaths } from '../../core/input-files.js';
import { VARIANT_EXTENSIONS } from '../../scenarios/load-variants.js';
import { dataFlowIssues } from '../../scenarios/data-flow-lint.js';
import { loadScenarios, SCENARIO_EXTENSIONS } from '../../scenarios/load-scenarios.js';
import { loadHandlers } from '../../scenarios/tool-handlers.js';
import type { ValidateFlags } from '../flags.js';
import { EXIT, type CliIO } from '../io.js';

/** `--config` gives `max_fixture_bytes` (default: batchbench.config.* in the working directory); `--max-fixture-bytes` overrides it; `--strict` makes data-flow warnings problems (exit 2). */
export type ValidateOptions = ValidateFlags;

/** A path given (or defaulted) that holds no file of the kind: an issue naming it. */
function emptyPaths(paths: readonly string[], extensions: readonly string[], kind: string): InputIssue[] {
  return paths
    .filter((p) => expandPaths([p], extensions).filter((f) => !f.endsWith('README.md')).length === 0)
    .map((p) => ({ file: p, path: '', message: `no ${kind} file (${extensions.join(', ')}) here` }));
}

/**
 * Checks every scenario and prompt file; prints each problem with file and
 * field path, and each handler module it loaded (loading runs its code).
 */
export async function validateCommand(opts: ValidateOptions, io: CliIO): Promise<number> {
  const loaded = await loadConfig(opts.config !== undefined ? { file: opts.config } : {});
  const config = loaded.config;
  for (const w of loaded.warnings) io.err(`warning: ${w}`);
  const maxFixtureBytes = opts.maxFixtureBytes ?? config.max_fixture_bytes;
  // The files `run` would read: the flags, else the config file's paths (resolved against its directory), else the defaults.
  const scenarioPaths = opts.scenarios !== undefined && opts.scenarios.length > 0 ? opts.scenarios : (config.scenarios ?? ['scenarios']);
  const promptPaths = opts.prompts !== undefined && opts.prompts.length > 0 ? opts.prompts : (config.prompts ?? ['prompts']);
  const s = loadScenarios(scenarioPaths, maxFixtureBytes !== undefined ? { maxFixtureBytes } : {});
  const v = loadCheckedVariants(promptPaths);
  const handlers = await loadHandlers(s.scenarios);
  for (const file of handlers.loaded) io.out(`loaded handler module ${displayPath(file)} (its code ran with your user's rights)`);
  const issues = [
    ...emptyPaths(scenarioPaths, SCENARIO_EXTENSIONS, 'scenario'),
    ...emptyPaths(promptPaths, VARIANT_EXTENSIONS, 'prompt variant'),
    ...s.issues,
    ...v.issues,
    ...handlers.issues,
  ];
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
