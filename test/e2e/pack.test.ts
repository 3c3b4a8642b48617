import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_yes: 'true', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the packed package in a fresh project', () => {
  it('installs from the tarball; init then run writes reports; the API runs a suite', () => {
    const work = mkdtempSync(join(tmpdir(), 'bb-pack-'));
    const listing = sh('npm', ['pack', '--json', '--pack-destination', work], ROOT);
    const packed = JSON.parse(listing.slice(listing.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('dist/harness/index.js');
    expect(files).toContain('dist/harness/index.d.ts');
    expect(files).toContain('templates/init/batchbench.config.yaml');
    expect(files).toEqual(expect.arrayContaining(['schemas/scenario.schema.json', 'schemas/prompt.schema.json', 'schemas/config.schema.json', 'schemas/gates.schema.json']));
    expect(files.filter((f) => /^(test|scenarios|fixtures|reports)\/|recordings|testing\//.test(f))).toEqual([]);

    const project = join(work, 'app');
    sh('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed[0]?.filename ?? '')], project);

    const init = sh('npx', ['batchbench', 'init'], project);
    expect(init).toContain('created batchbench.config.yaml');
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
  }, 240_000);
});
