import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CLI_BUNDLE, distIsFresh, finishBuild, stampBuild } from '../../bin/fresh-build.js';
import { commanderVersion } from '../../harness/cli/help-cache.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { referenceResponder } from '../../testing/wire/reference-responder.js';
import { WireServer } from '../../testing/wire/wire-server.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A clone's layout with empty files: a source, package.json, the compiled entry point and its bundle. */
function clone(): string {
  const root = mkdtempSync(join(tmpdir(), 'bb-fresh-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'harness', 'cli'), { recursive: true });
  mkdirSync(join(root, 'dist', 'harness', 'cli'), { recursive: true });
  writeFileSync(join(root, 'harness', 'cli', 'bin.ts'), '');
  writeFileSync(join(root, 'package.json'), '{}');
  writeFileSync(join(root, 'dist', 'harness', 'cli', 'bin.js'), '');
  writeFileSync(join(root, CLI_BUNDLE), '');
  return root;
}

const node = (args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const bundleFiles = (root: string): string[] => readdirSync(join(root, 'dist', 'harness', 'cli')).filter((f) => f === 'bin.bundle.js' || f.startsWith('bundle.')).sort();

const at = (path: string, seconds: number): void => utimesSync(path, seconds, seconds);

describe('dist/ freshness (npm start, bin/batchbench.js in a clone)', () => {
  it('is stale without a build stamp, fresh after one, stale again when a source or package.json changes', () => {
    const root = clone();
    expect(distIsFresh(root)).toBe(false);
    for (const f of ['harness/cli/bin.ts', 'package.json']) at(join(root, f), 1_000_000);
    stampBuild(root);
    at(join(root, 'dist', '.build-stamp'), 1_000_010);
    expect(distIsFresh(root)).toBe(true);
    at(join(root, 'harness', 'cli', 'bin.ts'), 1_000_020);
    expect(distIsFresh(root)).toBe(false);
    at(join(root, 'harness', 'cli', 'bin.ts'), 1_000_000);
    writeFileSync(join(root, 'harness', 'new-file.ts'), '');
    at(join(root, 'harness', 'new-file.ts'), 1_000_000);
    expect(distIsFresh(root)).toBe(true);
    at(join(root, 'package.json'), 1_000_030);
    expect(distIsFresh(root)).toBe(false);
  });

  it('is stale when the compiled entry point or its bundle is missing', () => {
    for (const missing of [join('dist', 'harness', 'cli', 'bin.js'), CLI_BUNDLE]) {
      const root = clone();
      stampBuild(root);
      at(join(root, 'dist', '.build-stamp'), 2_000_000_000);
      expect(distIsFresh(root)).toBe(true);
      rmSync(join(root, missing));
      expect(distIsFresh(root)).toBe(false);
    }
  });

  it('finishing a build bundles the compiled CLI, writes the help cache and the compiled vocabulary with the compiled program, then the stamp; without the program, no stamp', () => {
    const root = clone();
    const cli = join(root, 'dist', 'harness', 'cli');
    expect(finishBuild(root)).toBe(false);
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(false);
    // compiled writers that write a file each: finishBuild runs them from the clone's root, then stamps
    writeFileSync(join(cli, 'write-help-cache.js'), "import { writeFileSync } from 'node:fs';\nwriteFileSync('dist/harness/cli/help.json', '{}');\n");
    // a compiled program of two modules, one loaded on demand; and a chunk left by an earlier bundle
    writeFileSync(join(cli, 'bin.js'), "const { words } = await import('./words.js');\nconsole.log(words.join(' '), new URL('.', import.meta.url).pathname.endsWith('/dist/harness/cli/'));\n");
    writeFileSync(join(cli, 'words.js'), "export const words = ['from', 'the', 'bundle'];\n");
    writeFileSync(join(cli, 'bundle.chunk-OLD.js'), '');
    // without the vocabulary writer, no stamp
    expect(finishBuild(root)).toBe(false);
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(false);
    mkdirSync(join(root, 'dist', 'harness', 'providers'));
    writeFileSync(join(root, 'dist', 'harness', 'providers', 'write-vocabulary.js'), "import { writeFileSync } from 'node:fs';\nwriteFileSync('dist/harness/providers/o200k_base.bin', 'v');\n");
    expect(finishBuild(root)).toBe(true);
    expect(readFileSync(join(cli, 'help.json'), 'utf8')).toBe('{}');
    expect(readFileSync(join(root, 'dist', 'harness', 'providers', 'o200k_base.bin'), 'utf8')).toBe('v');
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(true);
    // the bundle runs on its own, beside the compiled modules: an entry and a chunk named bundle.*, nothing left from before
    const files = bundleFiles(root);
    expect(files).toContain('bin.bundle.js');
    expect(files.filter((f) => f !== 'bin.bundle.js').every((f) => /^bundle\.words-[A-Z0-9]+\.js$/.test(f))).toBe(true);
    rmSync(join(cli, 'words.js'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    expect(node([join(cli, 'bin.bundle.js')], root)).toEqual({ status: 0, stdout: 'from the bundle true\n', stderr: '' });

    // a compiled program that imports what does not exist: esbuild says so, nothing is stamped
    rmSync(join(root, 'dist', '.build-stamp'));
    writeFileSync(join(cli, 'bin.js'), "import './missing.js';\n");
    expect(finishBuild(root)).toBe(false);
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(false);
  });
});

/** Runs `node args` in `cwd` without blocking this process (a wire server in it may have to answer). */
function nodeAsync(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A CSV's rows without its real-time columns (real_ms, real_latency_ms, ...) and comparison rows of real time. */
function timeless(file: string): string[][] {
  const [header = [], ...rows] = parse(readFileSync(file, 'utf8')) as string[][];
  const keep = header.map((h, i) => (h.includes('real') ? -1 : i)).filter((i) => i >= 0);
  return [header, ...rows.filter((r) => !r.includes('real_ms'))].map((r) => keep.map((i) => r[i] ?? ''));
}

/** summary.md without its lines of measured (real) latency. */
const timelessMarkdown = (file: string): string => readFileSync(file, 'utf8').split('\n').filter((l) => !l.includes('measured (wall time')).join('\n');

/** Two runs' directories hold the same files, the same CSVs and summary.md apart from real time. */
function expectSameReports(a: string, b: string): void {
  const files = readdirSync(b).sort();
  expect(readdirSync(a).sort()).toEqual(files);
  expect(files).toEqual(expect.arrayContaining(['sessions.csv', 'turns.csv', 'summary.csv', 'summary.md']));
  for (const f of files.filter((f) => f.endsWith('.csv'))) expect(timeless(join(a, f)), f).toEqual(timeless(join(b, f)));
  expect(timelessMarkdown(join(a, 'summary.md'))).toBe(timelessMarkdown(join(b, 'summary.md')));
}


describe('a clone built by npm start', () => {
  // A clone of the sources with the repository's node_modules, built by its first `npm start` (beforeAll).
  const root = mkdtempSync(join(tmpdir(), 'bb-clone-'));
  const cliDir = join(root, 'dist', 'harness', 'cli');
  const bundle = join(root, CLI_BUNDLE);
  const modules = join(cliDir, 'bin.js');
  const version = `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`;
  const start = (): { status: number | null; stdout: string; stderr: string } => node([join('scripts', 'start.mjs'), '--version'], root);
  const building = 'building dist/ from changed sources (tsc --incremental, then the CLI bundle) ...\n';

  beforeAll(() => {
    for (const f of ['harness', 'bin', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(ROOT, f), join(root, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    const first = start();
    expect([first.status, first.stdout, first.stderr.startsWith(building)]).toEqual([0, version, true]);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('npm start runs the bundle while fresh, and builds again when the bundle is gone', () => {
    expect(distIsFresh(root)).toBe(true);
    const built = bundleFiles(root);
    expect(built.length).toBeGreaterThan(1);
    // fresh: no build, the bundle runs
    expect(start()).toEqual({ status: 0, stdout: version, stderr: '' });
    expect(node([join('bin', 'batchbench.js'), '--version'], root)).toEqual({ status: 0, stdout: version, stderr: '' });

    // the bundle gone: stale, built again (the compiled modules are still there)
    rmSync(join(root, CLI_BUNDLE));
    expect(distIsFresh(root)).toBe(false);
    const again = start();
    expect([again.status, again.stdout, again.stderr.startsWith(building)]).toEqual([0, version, true]);
    expect(bundleFiles(root)).toEqual(built);
    // the help is written after the bundle, so the bundle uses it (test below)
    expect(statSync(join(cliDir, 'help.json')).mtimeMs).toBeGreaterThanOrEqual(Math.max(...built.map((f) => statSync(join(cliDir, f)).mtimeMs)));
    expect(distIsFresh(root)).toBe(true);
  }, 60_000);

  it('--help, --version, validate, and errors with their exit codes', async () => {
    for (const argv of [['--help'], ['validate'], ['run', '--help'], ['validate', '--scenarios', 'no-such-dir']]) {
      const [a, b] = await Promise.all([nodeAsync([bundle, ...argv]), nodeAsync([modules, ...argv])]);
      expect(a, argv.join(' ')).toEqual(b);
    }
    expect((await nodeAsync([bundle, 'validate'])).stdout).toBe('ok: 30 scenario(s), 6 prompt variant(s)\n');
  });

  it('a run of the default suite: the same printed table and reports, real time aside', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bb-bundle-run-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    // the same run id in two parent directories
    const run = (bin: string, parent: string) => nodeAsync([bin, 'run', '-r', '1', '--variants', 'baseline,json-plan', '--quiet', '--out', join(out, parent), '--run-id', 'r']);
    const [a, b] = await Promise.all([run(bundle, 'bundle'), run(modules, 'modules')]);
    expect(a.status).toBe(0);
    expect({ ...a, stdout: a.stdout.replaceAll(join(out, 'bundle'), 'OUT') }).toEqual({ ...b, stdout: b.stdout.replaceAll(join(out, 'modules'), 'OUT') });
    expectSameReports(join(out, 'bundle', 'r'), join(out, 'modules', 'r'));
    // 3 reference policies x 2 variants; json-plan's plans scored
    expect(timeless(join(out, 'bundle', 'r', 'summary.csv'))).toHaveLength(1 + 6);
    expect(timeless(join(out, 'bundle', 'r', 'plans.csv')).length).toBeGreaterThan(1);
  });

  it('model providers through the bundled SDKs against the wire server: the same sessions', async () => {
    const server = await WireServer.start();
    onTestFinished(() => server.close());
    const scenarios = loadScenariosOrThrow(['scenarios']);
    for (const route of ['chat', 'responses', 'messages'] as const) server.fallback(route, referenceResponder(route, scenarios));
    const out = mkdtempSync(join(tmpdir(), 'bb-bundle-wire-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const env = { BB_BUNDLE_TEST_KEY: 'sk-bundle-test' };
    const common = ['--tags', 'domain=travel', '--variants', 'baseline', '-r', '1', '--quiet', '--api-key-env', 'BB_BUNDLE_TEST_KEY'];
    const runs = [
      ['openai', ['-p', 'openai:wire-model,openai-responses:wire-model', '--base-url', server.openaiBaseUrl]],
      ['anthropic', ['-p', 'anthropic:wire-model', '--base-url', server.anthropicBaseUrl]],
    ] as const;
    const results = await Promise.all(
      runs.map(([api, flags]) => Promise.all([bundle, modules].map((bin) => nodeAsync([bin, 'run', ...flags, ...common, '--out', join(out, bin === bundle ? 'bundle' : 'modules'), '--run-id', api], ROOT, env)))),
    );
    for (const [i, [api]] of runs.entries()) {
      const [a, b] = results[i] ?? [];
      expect(a?.status, a?.stderr).toBe(0);
      expect([a?.status, a?.stderr]).toEqual([b?.status, b?.stderr]);
      expectSameReports(join(out, 'bundle', api), join(out, 'modules', api));
      const sessions = timeless(join(out, 'bundle', api, 'sessions.csv'));
      const status = sessions[0]?.indexOf('status') ?? -1;
      expect(sessions.length).toBeGreaterThan(1);
      expect(sessions.slice(1).every((r) => r[status] === 'completed')).toBe(true);
    }
  });

  it('--help prints the help cache while it is newer than the bundle, without commander, and commander\'s help once the bundle is newer', async () => {
    // The bundle with its help cache and the compiled modules' times, in a package of its own.
    const copy = mkdtempSync(join(tmpdir(), 'bb-bundle-help-'));
    onTestFinished(() => rmSync(copy, { recursive: true, force: true }));
    const copied = join(copy, 'dist', 'harness', 'cli');
    mkdirSync(copied, { recursive: true });
    const bundled = bundleFiles(root);
    for (const f of [...bundled, 'program.js', 'io.js']) cpSync(join(cliDir, f), join(copied, f), { preserveTimestamps: true });
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const help = (): Promise<{ status: number | null; stdout: string; stderr: string }> => nodeAsync([join(copied, 'bin.bundle.js'), '--help'], copy);
    const full = await nodeAsync([modules, '--help']);
    const touch = (files: string[], seconds: number): void => files.forEach((f) => at(join(copied, f), seconds));

    // A cache whose text commander would not print: seeing it proves the fast path answered.
    writeFileSync(join(copied, 'help.json'), JSON.stringify({ commander: commanderVersion(), text: 'the cached help\n' }));
    touch([...bundled, 'program.js', 'io.js'], 1_000_000);
    touch(['help.json'], 1_000_010);
    expect(await help()).toEqual({ status: 0, stdout: 'the cached help\n', stderr: '' });
    // the bundle written after the cache (the compiled modules still older): the program answers, through commander
    touch(bundled, 1_000_020);
    expect(await help()).toEqual(full);
    // the cache the build wrote, newer than the bundle: commander's text, as the compiled modules print it
    cpSync(join(cliDir, 'help.json'), join(copied, 'help.json'));
    touch(['help.json'], 1_000_030);
    expect(await help()).toEqual(full);
    expect(JSON.parse(readFileSync(join(copied, 'help.json'), 'utf8'))).toEqual({ commander: commanderVersion(), text: full.stdout });
  });

  it('npm start after a change with a type error runs what tsc emitted, bundled, and stamps nothing', () => {
    const fastPath = join(root, 'harness', 'cli', 'fast-path.ts');
    writeFileSync(fastPath, `${readFileSync(fastPath, 'utf8').replace('return `${VERSION}\\n`;', 'return `${VERSION}-edited\\n`;')}\nexport const typeError: number = 'text';\n`);
    const r = start();
    // tsc prints its errors to stdout, before the program runs
    expect(r.stdout).toContain("error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(r.stdout.endsWith(`\n${version.trimEnd()}-edited\n`)).toBe(true);
    expect(r.stderr).toContain('the build reported errors; running the output it emitted\n');
    expect(distIsFresh(root)).toBe(false);
  }, 60_000);
});
