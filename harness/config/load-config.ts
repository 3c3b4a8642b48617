import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CONFIG_FILES } from '../core/project-files.js';
import { InputError, type InputIssue } from '../core/errors.js';
import { importCodeFile } from '../core/import-code.js';
import { providerSpecProblem } from '../providers/provider-spec.js';
import { displayPath, parseYaml, readInputFile, validateWith } from '../core/input-files.js';
import { configSchema, type BatchbenchConfig } from './schema.js';
import { readLegacyVariants } from './variant-keys.js';

export { CONFIG_FILES } from '../core/project-files.js';

/** Typed helper for `batchbench.config.ts`: `export default defineConfig({ ... })`. */
export function defineConfig(config: BatchbenchConfig): BatchbenchConfig {
  return config;
}

export interface LoadedConfig {
  config: BatchbenchConfig;
  /** The file it came from, or undefined when there is none. */
  file: string | undefined;
  /** Deprecation messages, each naming the file and the field. */
  warnings: string[];
}

/** The config file to use: `explicit` if given (it must exist), else the first of CONFIG_FILES in `cwd`. */
export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new InputError([{ file: explicit, path: '', message: 'config file not found' }]);
    return file;
  }
  return CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
}

/**
 * Loads and validates a config file. Paths inside it (scenarios, variants, out)
 * are resolved against the file's directory.
 */
export async function loadConfig(options: { cwd?: string; file?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = findConfig(cwd, options.file);
  if (!file) return { config: {}, file: undefined, warnings: [] };
  const shown = displayPath(file);
  let value: unknown;
  if (/\.(ya?ml)$/.test(file)) {
    const read = readInputFile(file, shown);
    if (read.text === undefined) throw new InputError(read.issues);
    const yaml = parseYaml(read.text, shown);
    if (yaml.issues.length > 0) throw new InputError(yaml.issues);
    value = yaml.value ?? {};
  } else {
    const loaded = await importCodeFile(file, shown, 'a .js, .mjs or .yaml config file');
    if ('issue' in loaded) throw new InputError([loaded.issue]);
    value = loaded.exports.default;
  }
  const { data, issues } = validateWith(configSchema, value, shown);
  if (!data) throw new InputError(issues);
  const legacy = readLegacyVariants(data, dirname(file), shown);
  const config = resolvePaths(legacy.config, dirname(file));
  const problems = configProblems(config, shown);
  if (problems.length > 0) throw new InputError(problems);
  return { config, file, warnings: legacy.warning !== undefined ? [legacy.warning] : [] };
}

/** Paths that do not exist and providers that are not known, each naming the file and the field. */
function configProblems(config: BatchbenchConfig, file: string): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const key of ['scenarios', 'prompts'] as const) {
    for (const [i, p] of (config[key] ?? []).entries()) {
      if (!existsSync(p)) issues.push({ file, path: `${key}.${i}`, message: `no such file or directory: ${displayPath(p)}` });
    }
  }
  if (config.report?.prices !== undefined && !existsSync(config.report.prices)) {
    issues.push({ file, path: 'report.prices', message: `no such file: ${displayPath(config.report.prices)}` });
  }
  for (const [i, p] of (config.providers ?? []).entries()) {
    const problem = providerSpecProblem(typeof p === 'string' ? p : p.id);
    if (problem !== undefined) issues.push({ file, path: typeof p === 'string' ? `providers.${i}` : `providers.${i}.id`, message: problem });
  }
  return issues;
}

function resolvePaths(config: BatchbenchConfig, base: string): BatchbenchConfig {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  return {
    ...config,
    ...(config.scenarios ? { scenarios: config.scenarios.map(abs) } : {}),
    ...(config.prompts ? { prompts: config.prompts.map(abs) } : {}),
    ...(config.out !== undefined ? { out: abs(config.out) } : {}),
    ...(config.report?.prices !== undefined ? { report: { ...config.report, prices: abs(config.report.prices) } } : {}),
  };
}
