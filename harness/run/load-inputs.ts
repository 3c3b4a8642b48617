import { InputError, UsageError, type InputIssue } from '../core/errors.js';
import { loadVariants, type Variant } from '../scenarios/load-variants.js';
import { filterScenarios } from '../scenarios/filter.js';
import { loadScenarios } from '../scenarios/load-scenarios.js';
import { strategyIssues } from './strategies/check-options.js';
import type { Scenario } from '../scenarios/types.js';
import { splitList } from '../config/run-settings.js';

export interface InputOptions {
  scenarios?: string[] | string;
  prompts?: string[] | string;
  tags?: string[] | string;
  variants?: string[] | string;
  /** Where `variants` came from when not from `--variants`, e.g. the config file: an unknown id then names that file and its `variants` field. */
  variantsFrom?: string;
  /** Largest fixture or handler module in bytes (`--max-fixture-bytes` as given, or the config's number). */
  maxFixtureBytes?: string | number;
}

/** The fixture size limit as given by `--max-fixture-bytes` or `max_fixture_bytes`: a positive integer, else a usage error. */
export function parseMaxFixtureBytes(value: string | number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--max-fixture-bytes must be a positive integer (got "${value}")`);
  return n;
}

/**
 * Loads prompt variant files and checks each one's `strategy` and
 * `strategy_options` against the strategy's schema: the one place a variant
 * is checked before `validate`, `list` or `run` (and `run --resume`) use it.
 */
export function loadCheckedVariants(paths: readonly string[]): { variants: Variant[]; issues: InputIssue[] } {
  const loaded = loadVariants(paths);
  const variants: Variant[] = [];
  const issues = [...loaded.issues];
  for (const v of loaded.variants) {
    const found = strategyIssues(v);
    if (found.length === 0) variants.push(v);
    issues.push(...found);
  }
  return { variants, issues };
}

/** Loads scenario and variant files, applies filters; throws `InputError` listing every problem. */
export function loadInputs(opts: InputOptions): { scenarios: Scenario[]; variants: Variant[] } {
  const scenarioPaths = splitList(opts.scenarios);
  const promptPaths = splitList(opts.prompts);
  const limits = opts.maxFixtureBytes !== undefined ? { maxFixtureBytes: parseMaxFixtureBytes(opts.maxFixtureBytes) } : {};
  const s = loadScenarios(scenarioPaths.length > 0 ? scenarioPaths : ['scenarios'], limits);
  const v = loadCheckedVariants(promptPaths.length > 0 ? promptPaths : ['prompts']);
  const issues = [...s.issues, ...v.issues];
  if (issues.length > 0) throw new InputError(issues);
  const scenarios = filterScenarios(s.scenarios, splitList(opts.tags));
  const wanted = splitList(opts.variants);
  const unknown = wanted.filter((id) => !v.variants.some((x) => x.id === id));
  if (unknown.length > 0) {
    const message = `unknown variant(s): ${unknown.join(', ')}; available: ${v.variants.map((x) => x.id).join(', ')}`;
    if (opts.variantsFrom !== undefined) throw new InputError([{ file: opts.variantsFrom, path: 'variants', message }]);
    throw new UsageError(message);
  }
  const variants = wanted.length > 0 ? wanted.map((id) => v.variants.find((x) => x.id === id) as Variant) : v.variants;
  if (scenarios.length === 0) throw new UsageError('no scenario matches the given paths and filters');
  if (variants.length === 0) throw new UsageError('no prompt variant found');
  return { scenarios, variants };
}
