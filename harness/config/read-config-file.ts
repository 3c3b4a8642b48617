import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError, type InputIssue } from '../core/errors.js';
import { importCodeFile } from '../core/import-code.js';
import { providerSpecProblem } from '../providers/provider-spec.js';
import { displayPath, parseYaml, readInputFile, validateWith } from '../core/input-files.js';
import type { LoadedConfig } from './load-config.js';
import { configSchema, type BatchbenchConfig } from './schema.js';
import { readLegacyVariants } from './variant-keys.js';

/** Reads and checks the config file `file` (found by load-config.ts); paths inside it are resolved against its directory. */
export async function readConfigFile(file: string): Promise<LoadedConfig> {
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
