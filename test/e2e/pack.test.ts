import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildIfStale, isBundleFile } from '../../bin/fresh-build.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI_DIR = join(ROOT, 'dist', 'harness', 'cli');

/** The bundle's entry and chunks (bin/fresh-build.js), which no source compiles to. */

const ENV = { ...process.env, npm_config_yes: 'true', CI: 'true' };

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the installed CLI and returns its exit code and output, whatever the code. */
function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['batchbench', ...args], { cwd, encoding: 'utf8', env: { ...ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether this Node strips TypeScript types itself (by default from 22.18 and 23.6). */
const NODE_STRIPS_TYPES = ['strip', 'transform'].includes(String((process.features as { typescript?: unknown }).typescript));

/** Compiled files under `dist` with no source under `src` (a source deleted or moved since the last full build); the CLI's bundle aside. */
function orphansIn(dist: string, src: string): string[] {
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js') && !isBundleFile(basename(f)))
    .filter((f) => !existsSync(join(src, f.replace(/\.js$/, '.ts'))));
}

describe('the packed package in a fresh project', () => {
  it('installs from the tarball; init then run writes reports; the API runs a suite; without tsx a .ts config or handler is refused, saying what to do', () => {
    const work = mkdtempSync(join(tmpdir(), 'bb-pack-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    // `npm pack` would rebuild dist/ from scratch (prepack); an incremental build when stale is the same output,
    // provided dist/ holds nothing a source no longer makes: checked here, then the package is packed as is.
    expect(buildIfStale(ROOT)).toBe(true);
    if (orphansIn(join(ROOT, 'dist', 'harness'), join(ROOT, 'harness')).length > 0) sh('npm', ['run', 'build'], ROOT);
    expect(orphansIn(join(ROOT, 'dist', 'harness'), join(ROOT, 'harness'))).toEqual([]);
    const listing = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    const packed = JSON.parse(listing.slice(listing.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('dist/harness/index.js');
    expect(files).toContain('dist/harness/index.d.ts');
    expect(files).toContain('templates/init/batchbench.config.yaml');
    expect(files).toEqual(expect.arrayContaining(['schemas/scenario.schema.json', 'schemas/prompt.schema.json', 'schemas/config.schema.json', 'schemas/gates.schema.json']));
    expect(files.filter((f) => /^(test|scenarios|fixtures|reports)\/|recordings|testing\//.test(f))).toEqual([]);
    // the help `--help` prints without loading commander, written by the build (harness/cli/help-cache.ts)
    expect(files).toContain('dist/harness/cli/help.json');
    // the o200k vocabulary compiled by the build (harness/providers/o200k-vocabulary.ts)
    expect(files).toContain('dist/harness/providers/o200k_base.bin');
    // the CLI's bundle, every chunk of it
    const bundle = readdirSync(CLI_DIR).filter(isBundleFile).map((f) => `dist/harness/cli/${f}`);
    expect(bundle).toContain('dist/harness/cli/bin.bundle.js');
    expect(files.filter((f) => f.startsWith('dist/harness/cli/') && isBundleFile(basename(f))).sort()).toEqual(bundle.sort());

    const project = join(work, 'app');
    sh('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed[0]?.filename ?? '')], project);

    // `--version` and `--help` take the fast path (harness/cli/fast-path.ts), its help cache valid in the installed
    // package, and print what the full program prints through a pipe.
    const cliDir = join(project, 'node_modules', 'batchbench', 'dist', 'harness', 'cli');
    const esm = (code: string): string => sh('node', ['--input-type=module', '-e', code], project);
    expect(esm(`const m = await import(${JSON.stringify(pathToFileURL(join(cliDir, 'help-cache.js')).href)}); console.log(m.readHelpCache() !== undefined);`)).toBe('true\n');
    // and the compiled vocabulary is current for the gpt-tokenizer installed beside it
    const vocabulary = pathToFileURL(join(cliDir, '..', 'providers', 'o200k-vocabulary.js')).href;
    expect(esm(`const m = await import(${JSON.stringify(vocabulary)}); console.log(m.COMPILED_VOCABULARY_FILE.includes('node_modules'), m.readCompiledVocabulary() !== undefined);`)).toBe('true true\n');
    const full = (argv: string[]): string => esm(`const m = await import(${JSON.stringify(pathToFileURL(join(cliDir, 'program.js')).href)}); process.exitCode = await m.main(${JSON.stringify(argv)});`);
    for (const argv of [['--help'], ['-h'], ['--version'], ['-V']]) expect(cli(argv, project)).toEqual({ status: 0, stdout: full(argv), stderr: '' });
    expect(full(['--version'])).toBe(`${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    expect(full(['--help'])).toMatch(/^Usage: batchbench \[options\] \[command\]\n[^]*\n {2}130 {2}interrupted \(Ctrl-C, SIGTERM\); wins over 3\n$/);

    // The installed `batchbench` runs the bundle: from here on the compiled CLI modules are gone (the help cache,
    // which checks their times, is not used any more), and every command still runs.
    for (const f of ['bin.js', 'program.js', 'bare-validate.js']) renameSync(join(cliDir, f), join(cliDir, `${f}.gone`));

    const init = sh('npx', ['batchbench', 'init'], project);
    expect(init).toContain('created batchbench.config.yaml');
    expect(cli(['validate'], project)).toEqual({ status: 0, stdout: 'ok: 1 scenario(s), 2 prompt variant(s)\n', stderr: '' });
    const run = sh('npx', ['batchbench', 'run', '--quiet', '--run-id', 'first'], project);
    expect(run).toContain('ref:optimal (reference policy)');
    const dir = join(project, 'reports', 'first');
    for (const f of ['run.json', 'sessions.jsonl', 'sessions.csv', 'turns.csv', 'summary.csv']) expect(existsSync(join(dir, f))).toBe(true);
    // 2 reference policies x 2 variants x 1 scenario x 3 repeats
    expect(readFileSync(join(dir, 'sessions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(12);

    writeFileSync(
      join(project, 'script.mjs'),
      `import { runSuite, summarise, analyseRun, compareRuns, readRun, DEFAULT_PRICES } from 'batchbench';
const run = await runSuite({ providers: ['ref:sequential', 'ref:optimal'], scenarios: ['scenarios'], prompts: ['prompts'], repeats: 1, out: 'reports', runId: 'api' });
const rows = summarise(run.sessions).map((g) => [g.providerId, g.variantId, g.mean.turns, g.mean.batchingRate]);
const analysis = analyseRun(run, { prices: DEFAULT_PRICES, baseline: 'baseline', resamples: 200 });
const vs = analysis.groups.map((g) => [g.id, g.comparisons.map((c) => [c.variantId, c.baselineId, c.metrics.turns.difference])]);
const verdict = compareRuns(readRun('reports/first'), readRun('reports/api'));
console.log(JSON.stringify({ sessions: run.sessions.length, files: run.files.length, rows, vs, comparable: verdict.comparable }));
`,
    );
    const out = JSON.parse(sh('node', ['script.mjs'], project)) as { sessions: number; files: number; rows: [string, string, number, number][]; vs: unknown; comparable: boolean };
    expect(out.sessions).toBe(4);
    expect(out.files).toBeGreaterThanOrEqual(3);
    expect(out.rows).toEqual([
      ['ref:sequential', 'baseline', 4, 0],
      ['ref:sequential', 'batch-independent', 4, 0],
      ['ref:optimal', 'baseline', 2, 1],
      ['ref:optimal', 'batch-independent', 2, 1],
    ]);
    // Two variants compared through the API: the reference policies ignore the prompt, so the turns do not differ.
    expect(out.vs).toEqual([
      ['ref:sequential', [['batch-independent', 'baseline', 0]]],
      ['ref:optimal', [['batch-independent', 'baseline', 0]]],
    ]);
    // The API run has 1 repeat and the CLI run 3: still the same suite, so comparable.
    expect(out.comparable).toBe(true);
    expect(readdirSync(join(project, 'reports')).sort()).toEqual(['api', 'first']);

    // tsx is an optional peer dependency: a production install has no TypeScript loader of its own.
    expect(existsSync(join(project, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'esbuild'))).toBe(false);
    // Without tsx, and with Node's type stripping off (Node 20 has none; a newer Node is started
    // with it turned off), a .ts config or handler module is refused with what to do, exit 2.
    const noStripping = NODE_STRIPS_TYPES ? { NODE_OPTIONS: '--no-experimental-strip-types' } : {};
    writeFileSync(join(project, 'batchbench.config.ts'), "import { defineConfig } from 'batchbench';\nconst repeats: number = 1;\nexport default defineConfig({ providers: ['ref:optimal'], repeats });\n");
    const tsConfig = cli(['validate', '--config', 'batchbench.config.ts'], project, noStripping);
    expect(tsConfig.status).toBe(2);
    expect(tsConfig.stderr).toContain(
      `batchbench.config.ts: cannot load a TypeScript file: Node ${process.version} does not strip types and tsx is not installed. Install tsx beside batchbench (npm i -D tsx; npm i -g tsx for a global batchbench), run Node >= 22.18, or use a .js, .mjs or .yaml config file`,
    );
    sh('mkdir', ['-p', 'coded'], project);
    const scenario = (handlers: string): string =>
      ['id: coded', 'title: t', 'domain: d', 'shape: single-call', 'task: q', `handlers: ./${handlers}`, 'tools:', '  - { name: get_stock, description: d, parameters: { type: object } }', 'expected_calls: [{ id: a, tool: get_stock }]', 'reference_answer: ok'].join('\n');
    writeFileSync(join(project, 'coded', 'h.ts'), "export default { get_stock: (args: Record<string, unknown>): string => `ok ${String(args['sku'])}` };\n");
    writeFileSync(join(project, 'coded', 's.yaml'), scenario('h.ts'));
    const tsHandlers = cli(['validate', '--scenarios', 'coded'], project, noStripping);
    expect(tsHandlers.status).toBe(2);
    expect(tsHandlers.stderr).toContain(
      `coded/h.ts: cannot load a TypeScript file: Node ${process.version} does not strip types and tsx is not installed. Install tsx beside batchbench (npm i -D tsx; npm i -g tsx for a global batchbench), run Node >= 22.18, or use a .js or .mjs module`,
    );
    // A JavaScript handler module needs nothing.
    writeFileSync(join(project, 'coded', 'h.mjs'), "export default { get_stock: (args) => `ok ${String(args['sku'])}` };\n");
    writeFileSync(join(project, 'coded', 's.yaml'), scenario('h.mjs'));
    const jsHandlers = cli(['validate', '--scenarios', 'coded'], project, noStripping);
    expect([jsHandlers.status, jsHandlers.stdout]).toEqual([0, 'loaded handler module coded/h.mjs (its code ran with your user\'s rights)\nok: 1 scenario(s), 2 prompt variant(s)\n']);
    if (NODE_STRIPS_TYPES) {
      // On a Node that strips types, the same TypeScript files load without tsx.
      expect(cli(['validate', '--config', 'batchbench.config.ts'], project).status).toBe(0);
      writeFileSync(join(project, 'coded', 's.yaml'), scenario('h.ts'));
      expect(cli(['validate', '--scenarios', 'coded'], project).stdout).toContain('loaded handler module coded/h.ts');
    }
  }, 240_000);
});
