import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { BatchbenchConfig } from './schema.js';

/** Whether a `variants:` entry is a path (the old meaning of the field) rather than a variant id. */
function looksLikePath(entry: string, base: string): boolean {
  return /[\\/]/.test(entry) || /\.(md|markdown|ya?ml)$/i.test(entry) || existsSync(isAbsolute(entry) ? entry : resolve(base, entry));
}

/**
 * The config with the old meaning of `variants:` (prompt paths) moved to
 * `prompts:`, and the deprecation message to show; unchanged, with no
 * message, when `prompts:` is given or `variants:` holds ids. `base` is the
 * directory relative paths are read against; `where` names the file.
 */
export function readLegacyVariants(config: BatchbenchConfig, base: string, where: string): { config: BatchbenchConfig; warning: string | undefined } {
  const { variants, ...rest } = config;
  if (variants === undefined || config.prompts !== undefined || !variants.some((v) => looksLikePath(v, base))) return { config, warning: undefined };
  return {
    config: { ...rest, prompts: variants },
    warning: `${where}: variants: holds paths, read as prompts: (deprecated: write prompt files and directories under prompts:; variants: now names variant ids, as --variants does)`,
  };
}
