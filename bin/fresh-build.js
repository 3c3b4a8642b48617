// In a clone: is dist/ built from the sources as they are now, and build it incrementally if not.
// Used by bin/batchbench.js (runs the bundled CLI in dist/ when fresh, else the sources through tsx) and by
// `npm start`, on every start: the check reads only directory listings and file times (a few ms).
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Written after every successful build; its mtime is the build's time. */
const STAMP = join('dist', '.build-stamp');
const INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];
/** Where tsc writes the CLI, and the bundle of it that runs (bundleCli). */
const CLI_DIR = join('dist', 'harness', 'cli');
export const CLI_BUNDLE = join(CLI_DIR, 'bin.bundle.js');
/** The bundle's entry and its chunks: bin.bundle.js and bundle.*.js, beside the compiled modules. */
export const isBundleFile = (name) => name === 'bin.bundle.js' || (name.startsWith('bundle.') && name.endsWith('.js'));

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

/** Whether `root/dist`, the CLI's bundle included, was built after the last change to any file under harness/ or the build's config files. */
export function distIsFresh(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp) || !existsSync(join(root, CLI_DIR, 'bin.js')) || !existsSync(join(root, CLI_BUNDLE))) return false;
  const built = statSync(stamp).mtimeMs;
  const inputs = Math.max(newestMtime(join(root, 'harness')), ...INPUTS.map((f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0)));
  return inputs < built;
}

/** Marks dist/ as built from the current sources. */
export function stampBuild(root) {
  writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
}

/**
 * Bundles the compiled CLI (dist/harness/cli/bin.js and everything it imports, dependencies included)
 * with esbuild into dist/harness/cli/bin.bundle.js and its chunks, bundle.*.js: `validate` loads 22
 * files instead of 141 modules, a run about 50 instead of 305. In the same directory as the compiled
 * modules, because modules find files from their own import.meta.url (help.json, package.json above,
 * node_modules for createRequire). Names are kept (keepNames): a class or function esbuild renames to
 * avoid a clash keeps its own `name`, so error messages, the error class a run file records and the
 * function names in stack traces are those of the sources. Whitespace and syntax are minified (5 MB
 * less memory at start); identifiers are not. The tsc output stays: it is the library API, and what
 * the help cache is written from. Returns false when esbuild reported errors (printed).
 */
export function bundleCli(root) {
  const dir = join(root, CLI_DIR);
  for (const name of readdirSync(dir)) if (isBundleFile(name)) rmSync(join(dir, name));
  // esbuild is a devDependency: it exists where a build does (a clone), never in an installed package.
  const esbuild = require('esbuild');
  try {
    esbuild.buildSync({
      entryPoints: { 'bin.bundle': join(dir, 'bin.js') },
      outdir: dir,
      chunkNames: 'bundle.[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // tsx (an optional peer dependency) is loaded from node_modules when there, as by the compiled modules.
      external: ['tsx', 'tsx/*'],
      // Bundled CommonJS packages call require(): give each chunk one.
      banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
      logLevel: 'warning',
    });
  } catch {
    return false;
  }
  return true;
}

/**
 * After compiling: bundles the CLI (bundleCli), writes the help `batchbench --help` prints without
 * loading commander (harness/cli/help-cache.ts) and the compiled o200k vocabulary
 * (harness/providers/o200k-vocabulary.ts), then stamps the build. Returns false, stamping nothing,
 * when the bundle failed or the compiled program could not write them.
 */
export function finishBuild(root) {
  if (!bundleCli(root)) return false;
  const { spawnSync } = require('node:child_process');
  for (const script of [join(CLI_DIR, 'write-help-cache.js'), join('dist', 'harness', 'providers', 'write-vocabulary.js')]) {
    const r = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) return false;
  }
  stampBuild(root);
  return true;
}

/**
 * Builds dist/ with `tsc --incremental` (only changed files are re-emitted), then the CLI's bundle
 * help and vocabulary (finishBuild), unless it is fresh. Returns false when the compiler reported errors
 * (dist/ and the bundle may still hold the emitted output) or finishBuild failed.
 */
export function buildIfStale(root) {
  if (distIsFresh(root)) return true;
  const { spawnSync } = require('node:child_process');
  const pkg = createRequire(join(root, 'package.json')).resolve('typescript/package.json');
  const tsc = join(dirname(pkg), 'bin', 'tsc');
  const started = Date.now();
  process.stderr.write('building dist/ from changed sources (tsc --incremental, then the CLI bundle) ...\n');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', join('dist', '.tsbuildinfo')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    // tsc emits despite type errors: the bundle is made of what it emitted, so `npm start` runs that; nothing is stamped.
    bundleCli(root);
    return false;
  }
  if (!finishBuild(root)) return false;
  process.stderr.write(`built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}
