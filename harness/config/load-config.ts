import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_FILES } from '../core/project-files.js';
import { InputError } from '../core/errors.js';
import type { BatchbenchConfig } from './schema.js';

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
 * are resolved against the file's directory. Its schema and checks
 * (read-config-file.ts) load only when there is a file.
 */
export async function loadConfig(options: { cwd?: string; file?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = findConfig(cwd, options.file);
  if (!file) return { config: {}, file: undefined, warnings: [] };
  const { readConfigFile } = await import('./read-config-file.js');
  return readConfigFile(file);
}
