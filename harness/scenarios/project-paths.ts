import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILES } from '../core/project-files.js';

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Walks from the scenario's directory up to the filesystem root; the first directory `pick` accepts. */
function upFrom(scenarioFile: string, pick: (dir: string) => string | undefined): string | undefined {
  let dir = dirname(resolve(scenarioFile));
  for (;;) {
    const found = pick(dir);
    if (found !== undefined) return found;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The fixtures root of a scenario: the nearest `fixtures/` directory at or above the scenario's directory. */
export function fixturesRootFor(scenarioFile: string): string | undefined {
  return upFrom(scenarioFile, (dir) => (isDir(join(dir, 'fixtures')) ? join(dir, 'fixtures') : undefined));
}

/**
 * The project directory of a scenario, inside which its `handlers:` module
 * must lie: the nearest directory at or above the scenario's directory that
 * holds a `fixtures/` directory or a batchbench config file; with neither,
 * the scenario's own directory.
 */
export function projectDirFor(scenarioFile: string): string {
  const found = upFrom(scenarioFile, (dir) =>
    isDir(join(dir, 'fixtures')) || CONFIG_FILES.some((f) => existsSync(join(dir, f))) ? dir : undefined,
  );
  return found ?? dirname(resolve(scenarioFile));
}

/** Whether `path` is `root` or lies under it (both absolute). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export type Contained = { file: string; real: string } | { problem: string; missing?: true };

/**
 * Resolves `ref` (relative to `base`) and checks that it stays inside `root`,
 * first as written and then after following symlinks. `rootLabel` names the
 * root in messages. Absolute paths are refused outright. `realRoot` gives
 * `root` with symlinks followed (a caller resolving several paths inside one
 * root asks once).
 */
export function resolveInside(ref: string, base: string, root: string, rootLabel: string, realRoot: () => string = () => realpathSync.native(root)): Contained {
  if (isAbsolute(ref)) return { problem: `absolute paths are not allowed (${ref}); give a path inside ${rootLabel}` };
  const file = resolve(base, ref);
  if (!isInside(resolve(root), file)) return { problem: `resolves outside ${rootLabel} (${ref})` };
  let real: string;
  try {
    real = realpathSync.native(file);
  } catch {
    return { problem: 'not found', missing: true };
  }
  if (!isInside(realRoot(), real)) return { problem: `resolves outside ${rootLabel} through a symlink (${ref} -> ${real})` };
  return { file, real };
}
