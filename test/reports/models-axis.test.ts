import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { referenceResponder } from '../../testing/wire/reference-responder.js';
import { writeReports } from '../../harness/reports/index.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { captureIO, PROJECT } from '../helpers.js';
import { findAll, parseXml } from './xml.js';
import { fixtureRun } from './report-fixtures.js';

/**
 * Models as a dimension: two OpenAI-compatible models, each served by its own
 * local wire server, one answering like `ref:optimal` (it batches) and one like
 * `ref:sequential` (it does not). The report compares the models under each
 * variant, and `compare` keeps each model paired with itself across runs.
 */
const KEY = 'sk-batchbench-FAKE-KEY-models-axis';
const SCENARIOS = join(PROJECT, 'scenarios');
const PROMPTS = join(PROJECT, 'prompts');
/** Repeats per scenario: 3 scenarios x 8 repeats = 24 session pairs per group, enough for the gates' Holm correction over 16 tests. */
const REPEATS = 8;
const PAIRS = 3 * REPEATS;

let batching: WireServer;
let serial: WireServer;
let out: string;
const savedKey = process.env['OPENAI_API_KEY'];

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file), { columns: true }) as Row[];

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

/** A config file with the two providers, each at the base URL of the server given for it. */
function writeConfig(name: string, urls: { batcher: string; serial: string }, report = ''): string {
  const file = join(out, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'providers:',
      `  - { id: "openai:batcher", base_url: "${urls.batcher}" }`,
      `  - { id: "openai:serial", base_url: "${urls.serial}" }`,
      `scenarios: ["${SCENARIOS}"]`,
      `variants: ["${PROMPTS}"]`,
      `repeats: ${REPEATS}`,
      'seed: 5',
      `out: "${out}"`,
      report,
      '',
    ].join('\n'),
  );
  return file;
}

async function run(config: string, runId: string): Promise<string> {
  const r = await cli(['run', '--config', config, '--run-id', runId, '--quiet']);
  expect(r.code, r.err).toBe(0);
  return join(out, runId);
}

let config: string;
let base: string;
let again: string;
let swapped: string;

beforeAll(async () => {
  process.env['OPENAI_API_KEY'] = KEY;
  const scenarios = loadScenariosOrThrow([SCENARIOS]);
  batching = await WireServer.start();
  serial = await WireServer.start();
  batching.fallback('chat', referenceResponder('chat', scenarios, { policy: { name: 'optimal' } }));
  serial.fallback('chat', referenceResponder('chat', scenarios, { policy: { name: 'sequential' } }));
  out = mkdtempSync(join(tmpdir(), 'bb-models-'));
  const urls = { batcher: batching.openaiBaseUrl, serial: serial.openaiBaseUrl };
  config = writeConfig('models', urls);
  base = await run(config, 'base');
  again = await run(config, 'again');
  // The same provider ids, but the servers swap: openai:batcher now answers one call at a time.
  swapped = await run(writeConfig('swapped', { batcher: urls.serial, serial: urls.batcher }, 'report: { compare_by: models, baseline_provider: "openai:serial" }'), 'swapped');
}, 60_000);

afterAll(async () => {
  if (savedKey === undefined) delete process.env['OPENAI_API_KEY'];
  else process.env['OPENAI_API_KEY'] = savedKey;
  await Promise.all([batching?.close(), serial?.close()]);
});

describe('a run with two models served by two wire servers', () => {
  it('records each model with its own behaviour: batching rate 1 on the fan-out for openai:batcher, 0 for openai:serial', () => {
    const { sessions, manifest } = readRun(base);
    expect(manifest.config.providers.map((p) => p.id)).toEqual(['openai:batcher', 'openai:serial']);
    // 2 models x 2 variants x 3 scenarios x REPEATS, every one over the wire.
    expect(sessions).toHaveLength(4 * PAIRS);
    expect(sessions.every((s) => s.provider.kind === 'model' && s.status === 'completed')).toBe(true);
    const fan = (provider: string) => sessions.filter((s) => s.provider.id === provider && s.scenarioId === 't-fan-out').map((s) => sessionMetrics(s).batchingRate);
    expect(fan('openai:batcher')).toEqual(Array(2 * REPEATS).fill(1));
    expect(fan('openai:serial')).toEqual(Array(2 * REPEATS).fill(0));
    // Usage came from the servers, not from the tokenizer: every turn went over the wire.
    expect(sessions.every((s) => s.turns.every((t) => !t.usage.estimated))).toBe(true);
  });

  it('models the price table does not list have no price, and the reports say how to add one, never another model\'s price', () => {
    const summary = readFileSync(join(base, 'summary.md'), 'utf8');
    expect(summary).toContain('Cost: no price for batcher: it is not in the price table by id, alias or dated snapshot; add its price in a YAML file passed with --prices');
    expect(summary).toContain('Cost: no price for serial:');
    expect(summary).not.toContain('at gpt-4o prices');
    const html = readFileSync(join(base, 'report.html'), 'utf8');
    expect(html).toContain('no price for batcher: it is not in the price table');
    const variants = csv(join(base, 'variants.csv'));
    expect(variants.every((r) => r['price_model'] === '' && r['cost_mean'] === '')).toBe(true);
    // Usage came from the servers: no figure is an estimate.
    expect(csv(join(base, 'comparison.csv')).every((r) => r['estimated'] === 'false')).toBe(true);
    expect(summary).not.toMatch(/\d\*/);
  });

  it('real models: each group leads with the measured latency and labels the virtual clock as a model', () => {
    const summary = readFileSync(join(base, 'summary.md'), 'utf8');
    const section = summary.slice(summary.indexOf('## openai:batcher'));
    const latency = section.search(/Latency per session, measured \(wall time of the model calls and tools\): plain [\d,.]+ ms \(95% CI /);
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(section.indexOf('| variant |'));
    expect(section).toMatch(/The virtual clock is a model, not a measurement \(800 ms charged per model call, set with --model-latency, plus the mocked tools' latency\): plain [\d,.]+ ms; together [\d,.]+ ms\./);
    const html = readFileSync(join(base, 'report.html'), 'utf8');
    expect(html).toContain('The virtual clock is a model, not a measurement');
    // The headline table of each model: measured latency first, the virtual clock after it, named as a model.
    const measuredRow = html.indexOf('<th>Latency, measured (ms)</th>');
    expect(measuredRow).toBeGreaterThan(0);
    expect(html.indexOf('<th>Latency, virtual clock (ms; a model, not a measurement)</th>', measuredRow)).toBeGreaterThan(measuredRow);
    expect(html).not.toContain('<th>Virtual latency (ms)</th></tr>');
    // The bottom line judges real models on the measured latency, and says so.
    expect(summary).toContain('Latency is measured: wall time of the model calls and tools.');
    expect(html).toContain('Latency is measured: wall time of the model calls and tools.');
  });

  it('a run of reference policies keeps the virtual clock alone: it has no latency to measure', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bb-ref-latency-'));
    const r = await cli(['run', '--provider', 'ref:optimal', '--scenarios', SCENARIOS, '--prompts', PROMPTS, '--repeats', '2', '--out', out, '--run-id', 'ref', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(out, 'ref', 'report.html'), 'utf8');
    expect(html).not.toContain('Latency, measured');
    expect(html).toContain('Latency is the virtual latency.');
    expect(readFileSync(join(out, 'ref', 'summary.md'), 'utf8')).not.toContain('Latency is measured');
  });

  it('by default compares the variants within each model, and says so', () => {
    const rows = csv(join(base, 'comparison.csv'));
    expect(new Set(rows.map((r) => `${r['compared']} ${r['provider']} ${r['variant']} vs ${r['baseline']}`))).toEqual(
      new Set(['variants openai:batcher together vs plain', 'variants openai:serial together vs plain']),
    );
    expect(readFileSync(join(base, 'report.html'), 'utf8')).toContain('comparing variants within each model; baseline variant plain');
  });

  it('report --compare-by models compares openai:serial with openai:batcher under each variant: more turns, interval above zero', async () => {
    const r = await cli(['report', base, '--compare-by', 'models']);
    expect(r.code, r.err).toBe(0);

    const rows = csv(join(base, 'comparison.csv'));
    expect(new Set(rows.map((x) => `${x['compared']} ${x['provider']} ${x['variant']} vs ${x['baseline']}`))).toEqual(
      new Set(['models openai:serial plain vs openai:batcher', 'models openai:serial together vs openai:batcher']),
    );
    for (const variant of ['plain', 'together']) {
      const turns = rows.find((x) => x['variant'] === variant && x['metric'] === 'turns') as Row;
      // Paired by scenario and repeat; the serial model needs more round-trips on the fan-out and the diamond, as many on the chain.
      expect(turns).toMatchObject({ provider: 'openai:serial', baseline: 'openai:batcher', pairs: String(PAIRS), significant: 'true' });
      expect(Number(turns['difference'])).toBeGreaterThan(0);
      expect(Number(turns['ci_low'])).toBeGreaterThan(0);
      expect(Number(turns['variant_mean'])).toBeGreaterThan(Number(turns['baseline_mean']));
      const rate = rows.find((x) => x['variant'] === variant && x['metric'] === 'batching_rate') as Row;
      expect(Number(rate['difference'])).toBeLessThan(0);
      expect(Number(rate['ci_high'])).toBeLessThan(0);
    }

    const cells = csv(join(base, 'variants.csv'));
    expect(cells.map((c) => [c['provider'], c['variant'], c['compared'], c['baseline'], c['is_baseline']])).toEqual([
      ['openai:batcher', 'plain', 'models', 'openai:batcher', 'true'],
      ['openai:batcher', 'together', 'models', 'openai:batcher', 'true'],
      ['openai:serial', 'plain', 'models', 'openai:batcher', 'false'],
      ['openai:serial', 'together', 'models', 'openai:batcher', 'false'],
    ]);

    const html = readFileSync(join(base, 'report.html'), 'utf8');
    expect(html).toContain('comparing models within each variant; baseline model openai:batcher');
    expect(html).toContain('<h3><span>variant plain</span></h3>');
    expect(html).toContain('<h3><span>variant together</span></h3>');
    expect(html).toContain('<th>openai:serial<br>');
    expect(html).toContain('<th>openai:batcher <span class="tag">baseline</span><br>');
    expect(html).toContain(`plain: openai:serial vs openai:batcher (${PAIRS} pairs): adds round-trips`);

    const summary = readFileSync(join(base, 'summary.md'), 'utf8');
    expect(summary).toContain('Comparing models within each variant; baseline model openai:batcher.');
    expect(summary).toContain('## variant together');
    expect(summary).toContain(`| openai:serial | ${PAIRS} |`);
  });

  it('report --baseline-provider turns the comparison round; an unknown provider or axis is refused', async () => {
    expect((await cli(['report', base, '--compare-by', 'models', '--baseline-provider', 'openai:serial'])).code).toBe(0);
    const turns = csv(join(base, 'comparison.csv')).filter((x) => x['metric'] === 'turns');
    expect(turns.map((x) => `${x['provider']} vs ${x['baseline']}`)).toEqual(['openai:batcher vs openai:serial', 'openai:batcher vs openai:serial']);
    expect(turns.every((x) => Number(x['ci_high']) < 0)).toBe(true);

    const unknown = await cli(['report', base, '--compare-by', 'models', '--baseline-provider', 'openai:nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--baseline-provider "openai:nope" is not a provider of this run; its providers are: openai:batcher, openai:serial');
    const axis = await cli(['report', base, '--compare-by', 'scenarios']);
    expect(axis.code).toBe(2);
    expect(axis.err).toContain('--compare-by must be one of variants, models');
  });

  it('run checks --compare-by and --baseline-provider before running anything', async () => {
    const before = batching.requests.length + serial.requests.length;
    const r = await cli(['run', '--config', config, '--run-id', 'refused', '--quiet', '--compare-by', 'models', '--baseline-provider', 'openai:nope']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--baseline-provider "openai:nope" is not a provider of this run; its providers are: openai:batcher, openai:serial');
    expect((await cli(['run', '--config', config, '--run-id', 'refused', '--quiet', '--compare-by', 'model'])).err).toContain('--compare-by must be one of variants, models (got "model")');
    expect(batching.requests.length + serial.requests.length).toBe(before);
  });

  it('takes the axis and the baseline provider from the config file', () => {
    const rows = csv(join(swapped, 'comparison.csv')).filter((x) => x['metric'] === 'turns');
    expect(rows.map((x) => `${x['compared']} ${x['provider']} vs ${x['baseline']}`)).toEqual(['models openai:batcher vs openai:serial', 'models openai:batcher vs openai:serial']);
  });
});

describe('compare with two models', () => {
  it('an identical run passes, each model paired with itself', async () => {
    const r = await cli(['compare', base, again]);
    expect(r.code, r.out + r.err).toBe(0);
    const junit = parseXml(readFileSync(join(again, 'compare', 'junit.xml'), 'utf8'));
    expect(findAll(junit, 'testsuite').map((s) => s.attrs['name'])).toEqual(['openai:batcher / plain', 'openai:batcher / together', 'openai:serial / plain', 'openai:serial / together']);
    expect(findAll(junit, 'failure')).toHaveLength(0);
  });

  it('flags the batching regression of openai:batcher, and only of it, when the servers swap', async () => {
    const r = await cli(['compare', base, swapped]);
    expect(r.code).toBe(1);
    const junit = parseXml(readFileSync(join(swapped, 'compare', 'junit.xml'), 'utf8'));
    const failing = findAll(junit, 'testsuite')
      .filter((s) => Number(s.attrs['failures']) > 0)
      .map((s) => s.attrs['name']);
    expect(failing).toEqual(['openai:batcher / plain', 'openai:batcher / together']);
    const failures = findAll(junit, 'testcase').filter((tc) => tc.children.some((c) => c.name === 'failure'));
    expect(failures.map((tc) => tc.attrs['name'])).toContain('batching_rate may not drop by more than 5.0 pts');
    expect(failures.every((tc) => tc.attrs['classname']?.startsWith('batchbench.compare.openai:batcher / '))).toBe(true);

    const md = readFileSync(join(swapped, 'compare', 'compare.md'), 'utf8');
    // Real models: compare leads with the measured latency, then the virtual clock labelled as a model.
    const measured = md.indexOf('| Latency, measured (ms) |');
    expect(measured).toBeGreaterThan(0);
    expect(md.indexOf('| Latency, virtual clock (ms; a model, not a measurement) |', measured)).toBeGreaterThan(measured);
    expect(md).toContain('| openai:batcher / plain | batching_rate may not drop by more than 5.0 pts |');
    expect(md).toMatch(/\| openai:serial \/ plain \| batching_rate may not drop by more than 5.0 pts \| [^|]+\| [^|]+\| [^|]+\| pass \|/);
    expect(md).toContain('<summary><b>openai:batcher / together</b>: 3 of 5 gate(s) failed');
    expect(md).toContain('<summary><b>openai:serial / together</b>: 5 gate(s) passed');
    const html = readFileSync(join(swapped, 'compare', 'compare.html'), 'utf8');
    expect(html).toContain('<h3>openai:batcher / plain</h3>');
    expect(html).toContain('<h3>openai:serial / plain</h3>');
  });
});

describe('comparing models when they are reference policies', () => {
  it('keeps the "(reference policy)" label in every place a model is named', async () => {
    const dir = await fixtureRun({ providers: ['ref:sequential', 'ref:optimal'], repeats: 2 });
    await writeReports(dir, ['stats-csv', 'markdown', 'html'], { compareBy: 'models' });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    const sentence = 'plain: ref:optimal (reference policy) vs ref:sequential (reference policy) (6 pairs): cuts input tokens';
    expect(html).toContain(sentence);
    expect(summary).toContain(sentence);
    expect(html).toContain('comparing models within each variant; baseline model ref:sequential (reference policy)');
    expect(html).toContain('<th><span class="ref">ref:optimal (reference policy)</span><br>');
    expect(summary).toContain('| ref:optimal (reference policy) | 6 |');
    expect(html).toContain('<summary>All metrics for variant plain</summary><div class="scroll"><table><thead><tr><th>metric</th><th>ref:sequential (reference policy)</th><th>ref:optimal (reference policy)</th>');
    const rows = csv(join(dir, 'comparison.csv'));
    expect(new Set(rows.map((r) => `${r['compared']} ${r['provider']} (${r['provider_kind']}) ${r['variant']} vs ${r['baseline']}`))).toEqual(
      new Set(['models ref:optimal (reference) plain vs ref:sequential', 'models ref:optimal (reference) together vs ref:sequential']),
    );
  });
});
