// In a clone: is dist/ built from the sources as they are now, and build it incrementally if not.
// Used by bin/batchbench.js (runs dist/ when fresh, else the sources through tsx) and by `npm start`,
// on every start: the check reads only directory listings and file times (a few ms).
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Written after every successful build; its mtime is the build's time. */
const STAMP = join('dist', '.build-stamp');
const INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

// One stat per entry (it tells directories from files too), paths joined by hand: on Node 20 this
// takes a third of the time of `withFileTypes` and path.join.
function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = `${dir}/${name}`;
    const stat = statSync(path);
    const t = stat.isDirectory() ? newestMtime(path) : stat.mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** Whether `root/dist` was built after the last change to any file under harness/ or the build's config files. */
export function distIsFresh(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'harness', 'cli', 'bin.js'))) return false;
  const built = statSync(stamp).mtimeMs;
  const inputs = Math.max(newestMtime(join(root, 'harness')), ...INPUTS.map((f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0)));
  return inputs < built;
}

/** Marks dist/ as built from the current sources. */
export function stampBuild(root) {
  writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
}

/**
 * After compiling: writes the help `batchbench --help` prints without loading commander
 * (harness/cli/help-cache.ts) and the compiled o200k vocabulary (harness/providers/o200k-vocabulary.ts),
 * then stamps the build. Returns false, stamping nothing, when the compiled program could not write them.
 */
export function finishBuild(root) {
  const { spawnSync } = require('node:child_process');
  for (const script of [['cli', 'write-help-cache.js'], ['providers', 'write-vocabulary.js']]) {
    const r = spawnSync(process.execPath, [join('dist', 'harness', ...script)], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) return false;
  }
  stampBuild(root);
  return true;
}

/**
 * Builds dist/ with `tsc --incremental` (only changed files are re-emitted) unless it is fresh.
 * Returns false when the compiler reported errors (dist/ may still hold the emitted output) or the
 * compiled program could not write its help.
 */
export function buildIfStale(root) {
  if (distIsFresh(root)) return true;
  const { spawnSync } = require('node:child_process');
  const pkg = createRequire(join(root, 'package.json')).resolve('typescript/package.json');
  const tsc = join(dirname(pkg), 'bin', 'tsc');
  const started = Date.now();
  process.stderr.write('building dist/ from changed sources (tsc --incremental) ...\n');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', join('dist', '.tsbuildinfo')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) return false;
  if (!finishBuild(root)) return false;
  process.stderr.write(`built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}
