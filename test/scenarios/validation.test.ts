import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../harness/scenarios/load-scenarios.js';
import { loadVariants } from '../../harness/scenarios/load-variants.js';
import { main } from '../../harness/cli/program.js';
import { captureIO } from '../helpers.js';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const INVALID = join(import.meta.dirname, '..', 'fixtures', 'invalid');

describe('scenario validation', () => {
  const { issues } = loadScenarios([join(INVALID, 'scenarios')]);
  const of = (name: string) => issues.filter((i) => i.file.endsWith(name));

  it('names the file and path of a misspelled field', () => {
    expect(of('misspelled.yaml')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: expect.stringContaining('misspelled.yaml'), path: 'tools.0.descripton', message: 'unknown field (misspelled?)' }),
        expect.objectContaining({ path: 'tools.0.description', message: 'required field is missing (expected string)' }),
      ]),
    );
    expect(of('misspelled.yaml')).toHaveLength(2);
  });

  it('rejects a dependency cycle and names it', () => {
    expect(of('cycle.yaml')).toEqual([expect.objectContaining({ path: 'expected_calls', message: 'dependency cycle: a -> b -> a' })]);
  });

  it('rejects an expected call of an unknown tool', () => {
    expect(of('unknown-tool.yaml')).toEqual([expect.objectContaining({ path: 'expected_calls.0.tool', message: expect.stringContaining('unknown tool "restart_service"') })]);
  });

  it('rejects a key with no value in a tool schema (an unquoted comma in a flow mapping), naming the property and the key', () => {
    expect(of('unquoted-comma.yaml')).toEqual([
      expect.objectContaining({
        path: 'tools.0.parameters.properties.from_currency',
        message: 'key "e.g. \\"EUR\\"." has no value: in a YAML flow mapping ({ ... }) a comma ends a value, so the text after it became a key of its own; put the whole text in quotes',
      }),
    ]);
  });

  it('reports YAML syntax errors with a line number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-yaml-'));
    writeFileSync(join(dir, 'broken.yaml'), 'id: x\ntools: [\n');
    const r = loadScenarios([dir]);
    expect(r.issues[0]?.message).toMatch(/YAML syntax error at line \d+/);
  });

  it('rejects a reference answer that misses a required fact, and a variant without front matter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-fact-'));
    writeFileSync(
      join(dir, 's.yaml'),
      [
        'id: s', 'title: t', 'domain: d', 'shape: single-call', 'task: q',
        'tools: [{ name: t, description: d, parameters: { type: object }, results: [{ match: {}, result: r }] }]',
        'expected_calls: [{ id: a, tool: t }]',
        'success: { answer_contains: ["42"] }',
        'reference_answer: forty-two',
      ].join('\n'),
    );
    expect(loadScenarios([dir]).issues).toEqual([expect.objectContaining({ path: 'reference_answer', message: expect.stringContaining('"42"') })]);
    writeFileSync(join(dir, 'v.md'), 'no header\n');
    expect(loadVariants([join(dir, 'v.md')]).issues[0]?.message).toContain('missing front matter');
  });
});

describe('batchbench validate and run on invalid input', () => {
  it('validate prints file and field path for each problem and exits 2', async () => {
    const io = captureIO();
    const code = await main(['validate', '--scenarios', join(INVALID, 'scenarios'), '--prompts', join(INVALID, 'prompts')], io);
    expect(code).toBe(2);
    const text = io.stderr.join('\n');
    expect(text).toMatch(/misspelled\.yaml: tools\.0\.descripton: unknown field/);
    expect(text).toMatch(/cycle\.yaml: expected_calls: dependency cycle: a -> b -> a/);
    expect(text).toMatch(/unknown-tool\.yaml: expected_calls\.0\.tool: unknown tool "restart_service"/);
  });

  it('run refuses to start on invalid input and writes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bb-out-'));
    const io = captureIO();
    const code = await main(['run', '--scenarios', join(INVALID, 'scenarios'), '--prompts', join(INVALID, 'prompts'), '--out', out, '--quiet'], io);
    expect(code).toBe(2);
    expect(readdirSync(out)).toEqual([]);
    expect(io.stderr.join('\n')).toContain('descripton');
  });

  it('a usage error exits 2 with a message', async () => {
    const io = captureIO();
    expect(await main(['run', '--repeats', 'zero', '--scenarios', join(INVALID, '..', 'project', 'scenarios')], io)).toBe(2);
    expect(await main(['frobnicate'], captureIO())).toBe(2);
    expect(await main(['run', '--provider', 'nope:x', '--scenarios', join(INVALID, '..', 'project', 'scenarios'), '--prompts', join(INVALID, '..', 'project', 'prompts')], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('unknown provider "nope:x"');
  });
});

describe('strategy names', () => {
  it('a variant naming an unknown strategy is rejected with its file and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-strategy-'));
    writeFileSync(join(dir, 'v.md'), '---\nid: v\ndescription: d\nstrategy: loop-de-loop\n---\nYou are helpful.\n');
    const io = captureIO();
    expect(await main(['validate', '--scenarios', join(INVALID, '..', 'project', 'scenarios'), '--prompts', dir], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/v\.md: strategy: unknown strategy "loop-de-loop"; use one of loop, budgeted, chain, hybrid, plan-execute/);
  });
});

describe('validate reads the files run would read', () => {
  it("takes the config file's scenarios and prompts when no flag names them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-validate-config-'));
    writeFileSync(join(dir, 'batchbench.config.yaml'), `scenarios: [${JSON.stringify(join(INVALID, 'scenarios'))}]\nprompts: [${JSON.stringify(join(import.meta.dirname, '..', '..', 'prompts'))}]\n`);
    const io = captureIO();
    const code = await main(['validate', '--config', join(dir, 'batchbench.config.yaml')], io);
    // The config names the invalid fixtures: validate finds their problems instead of checking ./scenarios.
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain('misspelled.yaml');
    // A flag still wins over the config.
    const io2 = captureIO();
    expect(await main(['validate', '--config', join(dir, 'batchbench.config.yaml'), '--scenarios', join(import.meta.dirname, '..', '..', 'scenarios')], io2)).toBe(0);
  });
});
