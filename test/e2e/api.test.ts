import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../harness/index.js';
import { runSuite, analyseRun, compareRuns, readRun, DEFAULT_PRICES, InputError } from '../../harness/index.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { referenceResponder } from '../../testing/wire/reference-responder.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import { cli, comparable } from '../cli/helpers.js';
import { FAKE_KEY } from '../providers/helpers.js';
import { PROJECT } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');

// The README's example ("Use it in your project", "From a script"), line for line but its import:
// tsc checks its types with the project's, the test below runs it.
async function readmeExample() {
  // readme-example:start
  const run = await runSuite({
    providers: ['ref:optimal', { spec: 'openai:gpt-4o-mini', options: { temperature: 0 } }],
    scenarios: ['scenarios'],
    prompts: ['prompts'],
    repeats: 3,
    maxTurns: 8,
    report: { baseline: 'baseline' }, // report.html, summary.md and the CSVs in run.dir
  });
  const analysis = analyseRun(run, { prices: DEFAULT_PRICES, baseline: 'baseline' }); // variants vs the baseline, with intervals
  const verdict = compareRuns(readRun('reports/last-night'), run); // two runs under the regression gates
  // readme-example:end
  return { run, analysis, verdict };
}

/** The lines of a code block, trimmed, without blank lines. */
const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');

function readmeBlock(): { imports: string[]; body: string[] } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /From a script[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const [first = '', ...rest] = lines(block);
  const imports = /^import \{ (.*) \} from 'batchbench';$/.exec(first)?.[1]?.split(', ') ?? [];
  return { imports, body: rest };
}

describe('the public runSuite', () => {
  const cwd = process.cwd();
  const env = { key: process.env['OPENAI_API_KEY'], url: process.env['OPENAI_BASE_URL'] };
  let server: WireServer;
  let project: string;

  beforeAll(async () => {
    // What `batchbench init` writes: one scenario, the variants baseline and batch-independent.
    project = mkdtempSync(join(tmpdir(), 'bb-api-'));
    cpSync(join(ROOT, 'templates', 'init'), project, { recursive: true });
    server = await WireServer.start();
    server.fallback('chat', referenceResponder('chat', loadScenariosOrThrow([join(project, 'scenarios')])));
    process.env['OPENAI_API_KEY'] = FAKE_KEY;
    process.env['OPENAI_BASE_URL'] = server.openaiBaseUrl;
    process.chdir(project);
  });
  afterAll(async () => {
    process.chdir(cwd);
    for (const [name, value] of [['OPENAI_API_KEY', env.key], ['OPENAI_BASE_URL', env.url]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await server.close();
  });

  it("the README's example is this test's, and imports only what the package exports", () => {
    const source = readFileSync(import.meta.filename, 'utf8');
    const example = /\/\/ readme-example:start\n([\s\S]*?)\/\/ readme-example:end/.exec(source)?.[1] ?? '';
    const { imports, body } = readmeBlock();
    expect(body).toEqual(lines(example));
    expect(imports.length).toBeGreaterThan(0);
    for (const name of imports) expect(Object.keys(api)).toContain(name);
  });

  it('runs the example: a typed config in, the run and its reports out', async () => {
    const night = await runSuite({ providers: ['ref:optimal', 'openai:gpt-4o-mini'], repeats: 3, maxTurns: 8, runId: 'last-night', reports: false });
    expect(night.files).toEqual([]);
    expect(readdirSync(night.dir).sort()).toEqual(['run.json', 'sessions.jsonl']);

    const before = server.requests.length;
    const { run, analysis, verdict } = await readmeExample();
    // 2 providers x 2 variants x 1 scenario x 3 repeats.
    expect(run.sessions).toHaveLength(12);
    expect(run.manifest.config).toMatchObject({ repeats: 3, maxTurns: 8, variants: ['baseline', 'batch-independent'] });
    expect(run.manifest.config.providers.map((p) => p.id)).toEqual(['ref:optimal', 'openai:gpt-4o-mini']);
    // The wire server answers like ref:optimal: the same turns, and the temperature went on the wire.
    const turns = (id: string): number[] => run.sessions.filter((s) => s.provider.id === id).map((s) => s.turns.length);
    expect(turns('openai:gpt-4o-mini')).toEqual(turns('ref:optimal'));
    const sent = server.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.route === 'chat' && r.body.temperature === 0)).toBe(true);
    expect(run.files.map((f) => f.slice(run.dir.length + 1))).toEqual(expect.arrayContaining(['summary.csv', 'summary.md', 'report.html']));
    expect(existsSync(join(run.dir, 'summary.csv'))).toBe(true);
    expect(analysis.groups.map((g) => g.comparisons.map((c) => [c.armId, c.baselineId]))).toEqual([[['batch-independent', 'baseline']], [['batch-independent', 'baseline']]]);
    expect(verdict.comparable ? verdict.regressions : 'incomparable').toBe(0);
  });

  it('gives the sessions `batchbench run` gives for the same settings', async () => {
    // A directory without a config file, so that both see only these settings.
    process.chdir(mkdtempSync(join(tmpdir(), 'bb-api-same-')));
    const viaApi = await runSuite({ providers: ['ref:stochastic:0.5'], scenarios: [join(PROJECT, 'scenarios')], prompts: [join(PROJECT, 'prompts')], repeats: 2, seed: 7, out: 'same', runId: 'api', reports: false });
    const viaCli = await cli(['run', '--provider', 'ref:stochastic:0.5', '--scenarios', join(PROJECT, 'scenarios'), '--prompts', join(PROJECT, 'prompts'), '-r', '2', '-s', '7', '-o', 'same', '--run-id', 'cli', '-q']);
    expect(viaCli.code, viaCli.err).toBe(0);
    const sessions = readRun(join('same', 'cli')).sessions.map((s) => comparable({ ...s, runId: 'x' }));
    expect(viaApi.sessions.map((s) => comparable({ ...s, runId: 'x' }))).toEqual(sessions);
    expect(sessions).toHaveLength(12);
    process.chdir(project);
  });

  it('checks the config once, before anything runs: each bad field named with `runSuite options`', async () => {
    const refused = async (options: Parameters<typeof runSuite>[0]): Promise<string> => {
      const e = await runSuite(options).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).message;
    };
    expect(await refused({ repeats: 0, maxTurns: 1001, out: 'refused' })).toBe(
      ['runSuite options: repeats: Too small: expected number to be >0', 'runSuite options: maxTurns: at most 1,000 (see docs/limits.md)'].join('\n'),
    );
    // The CLI's strings and the config file's spelling are not this API's: said, not ignored.
    const loose: Record<string, unknown> = { flags: { runId: 'x' }, max_turns: 5, out: 'refused' };
    expect(await refused(loose)).toBe('runSuite options: flags: unknown field (misspelled?)\nrunSuite options: max_turns: unknown field (misspelled?)');
    expect(await refused({ variants: ['nope'], out: 'refused' })).toBe('runSuite options: variants: unknown variant(s): nope; available: baseline, batch-independent');
    expect(await refused({ report: { baseline: 'nope' }, out: 'refused' })).toBe(
      'runSuite options: report.baseline: "nope" is not a variant of this run; its variants are: baseline, batch-independent',
    );
    expect(existsSync('refused')).toBe(false);
  });
});
