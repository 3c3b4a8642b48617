import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { checkRunConfig } from '../../harness/config/run-config.js';
import { resolveRunSettings } from '../../harness/config/run-settings.js';
import { validateWith } from '../../harness/core/input-files.js';
import { LIMITS } from '../../harness/core/limits.js';
import { scenarioSchema } from '../../harness/scenarios/schema.js';
import { checkRunId } from '../../harness/core/run-file/run-id.js';
import { captureIO, PROJECT } from '../helpers.js';

const INPUTS = ['--scenarios', join(PROJECT, 'scenarios'), '--prompts', join(PROJECT, 'prompts')];
const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), `bb-${prefix}-`));

async function cli(args: readonly string[]): Promise<{ code: number; err: string; ms: number }> {
  const io = captureIO();
  const start = performance.now();
  const code = await main(args, io);
  return { code, err: io.stderr.join('\n'), ms: performance.now() - start };
}

/** A valid one-call scenario with `fields` (YAML lines) replacing or adding top-level fields. */
function scenarioYaml(fields: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    id: 's',
    title: 't',
    domain: 'd',
    shape: 'single-call',
    task: 'q',
    tools: '[{ name: t, description: d, parameters: { type: object }, results: [{ match: {}, result: r }] }]',
    expected_calls: '[{ id: a, tool: t }]',
    reference_answer: 'r',
    ...fields,
  };
  return Object.entries(base).map(([k, v]) => `${k}: ${v}`).join('\n');
}

const validScenario = {
  id: 's', title: 't', domain: 'd', shape: 'single-call', task: 'q',
  tools: [{ name: 't', description: 'd', parameters: { type: 'object' }, results: [{ match: {}, result: 'r' }] }],
  expected_calls: [{ id: 'a', tool: 't' }],
  reference_answer: 'r',
};

describe('run flags and config values have upper bounds (exit 2 before anything runs)', () => {
  it.each([
    ['--repeats', '1e12', '--repeats must be at most 10,000 (got "1e12"; see docs/limits.md)'],
    ['--concurrency', '1001', '--concurrency must be at most 1,000 (got "1001"; see docs/limits.md)'],
    ['--max-turns', '1001', '--max-turns must be at most 1,000 (got "1001"; see docs/limits.md)'],
    ['--model-latency', '3600001', '--model-latency must be at most 3,600,000 (got "3600001"; see docs/limits.md)'],
  ])('%s %s is refused naming the flag', async (flag, value, message) => {
    const out = tmp('flag');
    const r = await cli(['run', ...INPUTS, '--out', out, '--quiet', flag, value]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: ${message}`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('the limits themselves are accepted: --max-turns 1000, --model-latency 3600000 run', async () => {
    const out = tmp('at-limit');
    const r = await cli(['run', ...INPUTS, '--out', out, '--quiet', '--provider', 'ref:optimal', '--variants', 'plain', '--tags', 'id=t-chain', '--repeats', '1', '--max-turns', '1000', '--model-latency', '3600000', '--concurrency', '1000']);
    expect(r.code).toBe(0);
  });

  it('config fields beyond their bound are refused naming the file and the field', async () => {
    const dir = tmp('config');
    writeFileSync(
      join(dir, 'batchbench.config.yaml'),
      ['repeats: 1000000000000', 'concurrency: 100000', 'max_turns: 5000', 'model_latency_ms: 1e10', 'providers: [{ id: ref:optimal, concurrency: 2000 }]'].join('\n'),
    );
    const r = await cli(['run', '--config', join(dir, 'batchbench.config.yaml'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/batchbench\.config\.yaml: repeats: at most 10,000 \(see docs\/limits\.md\)/);
    expect(r.err).toMatch(/batchbench\.config\.yaml: concurrency: at most 1,000 /);
    expect(r.err).toMatch(/batchbench\.config\.yaml: max_turns: at most 1,000 /);
    expect(r.err).toMatch(/batchbench\.config\.yaml: model_latency_ms: at most 3,600,000 ms /);
    expect(r.err).toMatch(/batchbench\.config\.yaml: providers\.0\.concurrency: at most 1,000 /);
  });

  it('config values given in code (the programmatic API) are bounded too', () => {
    expect(() => checkRunConfig({ repeats: 1e12 })).toThrow('runSuite options: repeats: at most 10,000 (see docs/limits.md)');
    expect(() => checkRunConfig({ maxTurns: 1001 })).toThrow('runSuite options: maxTurns: at most 1,000');
    expect(resolveRunSettings(checkRunConfig({ repeats: 10_000, maxTurns: 1000 }))).toMatchObject({ repeats: 10_000, maxTurns: 1000 });
  });

  it('a matrix over 50,000 sessions is refused with its sizes, before a session runs', async () => {
    const out = tmp('matrix');
    // 3 providers x 2 variants x 3 scenarios x 10,000 repeats = 180,000 sessions.
    const r = await cli(['run', ...INPUTS, '--out', out, '--quiet', '--repeats', '10000']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'error: the run would hold 180,000 sessions (3 provider(s) x 2 variant(s) x 3 scenario(s) x 10000 repeat(s)); at most 50,000 (see docs/limits.md): ' +
        'lower --repeats or narrow --provider, --variants, --scenarios or --tags, or split the suite into several runs',
    );
    expect(readdirSync(out)).toEqual([]);
    expect(r.ms).toBeLessThan(5000);
  });
});

describe('scenario and prompt fields have upper bounds', () => {
  it('a 50 MB task string is refused by the schema at once, naming the field', () => {
    const task = 'x'.repeat(50 * 1024 * 1024);
    const start = performance.now();
    const { data, issues } = validateWith(scenarioSchema, { ...validScenario, task }, 'big.yaml');
    expect(performance.now() - start).toBeLessThan(1000);
    expect(data).toBeUndefined();
    expect(issues).toEqual([{ file: 'big.yaml', path: 'task', message: 'too long: 52,428,800 characters, at most 1,000,000 (see docs/limits.md)' }]);
  });

  it('validate refuses each text and latency beyond its bound with file and field (exit 2)', async () => {
    const dir = tmp('fields');
    const long = 'y'.repeat(LIMITS.longTextChars + 1);
    writeFileSync(join(dir, 'task.yaml'), scenarioYaml({ task: long }));
    writeFileSync(join(dir, 'answer.yaml'), scenarioYaml({ reference_answer: long }));
    writeFileSync(join(dir, 'title.yaml'), scenarioYaml({ title: 'z'.repeat(LIMITS.shortTextChars + 1) }));
    writeFileSync(join(dir, 'description.yaml'), scenarioYaml({ tools: `[{ name: t, description: ${long}, parameters: { type: object }, results: [{ match: {}, result: r }] }]` }));
    writeFileSync(join(dir, 'result.yaml'), scenarioYaml({ tools: `[{ name: t, description: d, parameters: { type: object }, results: [{ match: {}, result: ${long} }] }]` }));
    writeFileSync(join(dir, 'result-json.yaml'), scenarioYaml({ tools: `[{ name: t, description: d, parameters: { type: object }, results: [{ match: {}, result: { text: ${long} } }] }]` }));
    writeFileSync(join(dir, 'tool-latency.yaml'), scenarioYaml({ tools: '[{ name: t, description: d, latency_ms: 1000000000000, parameters: { type: object }, results: [{ match: {}, result: r, latency_ms: 3600001 }], fallback: { result: f, latency_ms: 1e300 } }]' }));
    const prompts = join(dir, 'prompts');
    mkdirSync(prompts);
    writeFileSync(join(prompts, 'long.md'), `---\nid: long\ndescription: d\n---\n${long}\n`);
    writeFileSync(join(prompts, 'template.md'), `---\nid: template\ndescription: d\nuser_template: "{{task}}${'w'.repeat(LIMITS.longTextChars)}"\n---\nYou are helpful.\n`);
    const io = captureIO();
    expect(await main(['validate', '--scenarios', dir, '--prompts', prompts], io)).toBe(2);
    const err = io.stderr.join('\n');
    expect(err).toContain('task.yaml: task: too long: 1,000,001 characters, at most 1,000,000 (see docs/limits.md)');
    expect(err).toContain('answer.yaml: reference_answer: too long: 1,000,001 characters, at most 1,000,000');
    expect(err).toContain('title.yaml: title: too long: 1,001 characters, at most 1,000');
    expect(err).toContain('description.yaml: tools.0.description: too long: 1,000,001 characters, at most 1,000,000');
    expect(err).toContain('result.yaml: tools.0.results.0.result: too long: 1,000,001 characters (as sent to the model), at most 1,000,000');
    // {"text":"y...y"}: 1,000,001 + 11 characters of JSON.
    expect(err).toContain('result-json.yaml: tools.0.results.0.result: too long: 1,000,012 characters (as sent to the model), at most 1,000,000');
    expect(err).toContain('tool-latency.yaml: tools.0.latency_ms: at most 3,600,000 ms, one hour (see docs/limits.md)');
    expect(err).toContain('tool-latency.yaml: tools.0.results.0.latency_ms: at most 3,600,000 ms, one hour');
    expect(err).toContain('tool-latency.yaml: tools.0.fallback.latency_ms: at most 3,600,000 ms, one hour');
    expect(err).toContain('long.md: body: the system prompt is too long: 1,000,001 characters, at most 1,000,000 (see docs/limits.md)');
    expect(err).toContain('template.md: user_template: too long: 1,000,008 characters, at most 1,000,000');
  });

  it('a text at its bound is accepted', () => {
    const { issues } = validateWith(scenarioSchema, { ...validScenario, task: 'x'.repeat(LIMITS.longTextChars), title: 't'.repeat(LIMITS.shortTextChars) }, 'ok.yaml');
    expect(issues).toEqual([]);
  });
});

describe('--run-id is a plain name', () => {
  it.each([
    ['../..', 'may hold only letters, digits, ".", "_" and "-" (no path separators)'],
    ['..', 'names the current or parent directory'],
    ['.', 'names the current or parent directory'],
    ['a/b', 'may hold only letters, digits, ".", "_" and "-" (no path separators)'],
    ['a\\b', 'may hold only letters, digits, ".", "_" and "-" (no path separators)'],
    ['/tmp/x', 'may hold only letters, digits, ".", "_" and "-" (no path separators)'],
    ['', 'is empty'],
    ['r'.repeat(129), 'has 129 characters (at most 128)'],
  ])('--run-id %j is refused: %s; nothing is written', async (id, why) => {
    const parent = tmp('runid');
    const out = join(parent, 'out');
    mkdirSync(out);
    const r = await cli(['run', ...INPUTS, '--out', out, '--run-id', id, '--quiet', '--provider', 'ref:optimal', '--repeats', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: --run-id ${JSON.stringify(id)} ${why}: it names a directory inside --out`);
    expect(readdirSync(parent)).toEqual(['out']);
    expect(readdirSync(out)).toEqual([]);
  });

  it('plain names pass unchanged', () => {
    expect(checkRunId('night-42.v2_a')).toBe('night-42.v2_a');
    expect(checkRunId('..a')).toBe('..a');
    expect(checkRunId('r'.repeat(128))).toHaveLength(128);
  });

  it('a plain --run-id writes its run inside --out', async () => {
    const out = tmp('runid-ok');
    const r = await cli(['run', ...INPUTS, '--out', out, '--run-id', 'night-42.v2_a', '--quiet', '--provider', 'ref:optimal', '--variants', 'plain', '--tags', 'id=t-chain', '--repeats', '1']);
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(['night-42.v2_a']);
    expect(existsSync(join(out, 'night-42.v2_a', 'sessions.jsonl'))).toBe(true);
  });
});
