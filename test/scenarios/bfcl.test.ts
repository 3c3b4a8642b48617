import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { convertBfcl, type BfclConversion } from '../../harness/scenarios/import/bfcl.js';
import { toJsonSchema } from '../../harness/scenarios/import/bfcl-schema.js';
import { API_TOOL_NAME, apiToolNames, describeRenamed, originalToolName } from '../../harness/scenarios/import/tool-names.js';
import { loadVariantFile, type Variant } from '../../harness/scenarios/load-variants.js';
import { createProvider } from '../../harness/providers/registry.js';
import { ScriptedProvider } from '../../harness/providers/scripted.js';
import type { AssistantPart, Provider } from '../../harness/providers/types.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { runSession } from '../../harness/run/run-session.js';
import { maxTurns } from '../../harness/run/stop-rules.js';
import { matchExpectedCall } from '../../harness/scenarios/expected-calls.js';
import { loadScenarioFile, loadScenarios } from '../../harness/scenarios/load-scenarios.js';
import { argsAccepted, OMITTED } from '../../harness/core/match-args.js';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';
import type { ExpectedCall } from '../../harness/scenarios/schema.js';
import type { Scenario } from '../../harness/scenarios/types.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SUITE = join(ROOT, 'scenarios', 'bfcl');
const QUESTIONS = join(SUITE, 'source', 'BFCL_v4_parallel.json');
const ANSWERS = join(SUITE, 'source', 'possible_answer.BFCL_v4_parallel.json');

const source = (file: string, text = readFileSync(file, 'utf8')) => ({ file, text });
const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

function plainVariant(): Variant {
  const { variant, issues } = loadVariantFile(join(ROOT, 'test', 'fixtures', 'project', 'prompts', 'plain.md'));
  if (!variant) throw new Error(issues.map((i) => i.message).join('\n'));
  return variant;
}

function session(scenario: Scenario, provider: Provider): Promise<SessionRecord> {
  return runSession({
    runId: 'bfcl-test',
    scenario,
    variant: plainVariant(),
    provider,
    repeat: 1,
    seed: 7,
    tools: new MockToolExecutor(scenario),
    stopRules: [maxTurns(10)],
    modelLatencyMs: 1000,
  });
}

/** A model that makes the given calls in one turn, then answers. */
function oneTurnOf(calls: { name: string; args: Record<string, unknown> }[]): ScriptedProvider {
  const parts: AssistantPart[] = calls.map((c, i) => ({ type: 'tool-call', id: `c${i}`, name: c.name, args: c.args, rawArgs: JSON.stringify(c.args) }));
  return new ScriptedProvider([
    { parts, finishReason: 'tool-calls', usage: {} },
    { parts: [{ type: 'text', text: 'done' }], finishReason: 'stop', usage: {} },
  ]);
}

/** The call's arguments with the last accepted value of each `accept` key (left out when that is `""`). */
function lastAlternative(call: ExpectedCall): Record<string, unknown> {
  const args = { ...call.args };
  for (const [key, values] of Object.entries(call.accept ?? {})) {
    const last = values[values.length - 1];
    if (last === OMITTED) delete args[key];
    else args[key] = last;
  }
  return args;
}

describe('BFCL parallel set', () => {
  // As `import bfcl --out scenarios/bfcl` writes them: each file names the schema from there.
  const conversion: BfclConversion = convertBfcl(source(QUESTIONS), source(ANSWERS), '../../schemas/scenario.schema.json');
  const dir = tmp('bb-bfcl-');
  for (const f of conversion.files) writeFileSync(join(dir, f.name), f.text);
  const loaded = loadScenarios([dir]);

  it('converts all 200 questions into 540 expected calls', () => {
    expect(conversion.issues).toEqual([]);
    expect(conversion.files).toHaveLength(200);
    expect(conversion.files[0]?.name).toBe('bfcl-parallel-0.yaml');
    expect(conversion.scenarios.reduce((n, s) => n + s.document.expected_calls.length, 0)).toBe(540);
  });

  it('every converted scenario validates, with independent calls: optimal is 2 turns', () => {
    expect(loaded.issues).toEqual([]);
    expect(loaded.scenarios).toHaveLength(200);
    for (const s of loaded.scenarios) {
      expect(s.dag.optimalTurns, s.id).toBe(2);
      expect(s.dag.widths, s.id).toEqual([s.expectedCalls.length]);
    }
  });

  it('ref:optimal solves each in one tool turn and one answer turn', async () => {
    const optimal = createProvider('ref:optimal');
    for (const s of loaded.scenarios) {
      const record = await session(s, optimal.forScenario(s));
      expect(record.status, `${s.id}: ${JSON.stringify(record.success)}`).toBe('completed');
      expect(record.turns).toHaveLength(2);
      expect(record.turns[0]?.calls.map((c) => c.isError)).toEqual(s.expectedCalls.map(() => false));
    }
  });

  it('a model using the other accepted values (or leaving out optional ones) also completes in 2 turns', async () => {
    let alternatives = 0;
    for (const s of loaded.scenarios) {
      const calls = s.expectedCalls.map((c) => ({ name: c.tool, args: lastAlternative(c) }));
      alternatives += s.expectedCalls.filter((c) => c.accept !== undefined).length;
      const record = await session(s, oneTurnOf(calls));
      expect(record.status, `${s.id}: ${JSON.stringify(record.success)}`).toBe('completed');
      expect(record.turns[0]?.calls.every((c) => !c.isError && c.node !== null), s.id).toBe(true);
    }
    expect(alternatives).toBeGreaterThan(100);
  });

  it('maps every tool name to one the APIs accept, and back', () => {
    const questions = readFileSync(QUESTIONS, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { function: { name: string }[] });
    let renamed = 0;
    loaded.scenarios.forEach((s) => {
      // Scenarios load sorted by file name; the number in the id is the question's line.
      const n = Number(s.id.replace('bfcl-parallel-', ''));
      const original = questions[n]?.function.map((f) => f.name) ?? [];
      const tools = s.tools.map((t) => t.definition);
      expect(tools.map((t) => t.name).every((name) => API_TOOL_NAME.test(name)), s.id).toBe(true);
      expect(tools.map(originalToolName), s.id).toEqual(original);
      renamed += tools.filter((t) => originalToolName(t) !== t.name).length;
    });
    expect(renamed).toBe(85);
    const spotify = loaded.scenarios.find((s) => s.id === 'bfcl-parallel-0')?.tools[0]?.definition;
    expect(spotify?.name).toBe('spotify_play');
    expect(spotify && originalToolName(spotify)).toBe('spotify.play');
  });

  it('the committed scenarios/bfcl/ is exactly a fresh conversion', () => {
    const committed = readdirSync(SUITE).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
    expect(committed.sort()).toEqual(conversion.files.map((f) => f.name).sort());
    for (const f of conversion.files) {
      expect(readFileSync(join(SUITE, f.name), 'utf8'), `${f.name} differs from a fresh conversion; rerun the import (scenarios/bfcl/README.md)`).toBe(f.text);
    }
    expect(readFileSync(join(SUITE, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(readFileSync(join(SUITE, 'README.md'), 'utf8')).toContain('6ea57973');
  });

  it('the default suite does not load it', () => {
    const top = loadScenarios([join(ROOT, 'scenarios')]);
    expect(top.scenarios.some((s) => s.id.startsWith('bfcl-'))).toBe(false);
  });
});

describe('tool names', () => {
  it('replaces characters the APIs reject and keeps valid names', () => {
    expect([...apiToolNames(['spotify.play', 'get_weather', 'a b/c'])]).toEqual([
      ['spotify.play', 'spotify_play'],
      ['get_weather', 'get_weather'],
      ['a b/c', 'a_b_c'],
    ]);
  });

  it('resolves collisions without renaming a name that was already valid', () => {
    const names = apiToolNames(['math.power', 'math_power', 'math-power', 'math:power']);
    expect([...names.values()]).toEqual(['math_power_2', 'math_power', 'math-power', 'math_power_3']);
    expect(new Set(names.values()).size).toBe(4);
  });

  it('cuts long names to 64 characters, suffix included', () => {
    const long = `${'x'.repeat(70)}.a`;
    const names = apiToolNames([long, `${'x'.repeat(70)}.b`]);
    expect([...names.values()]).toEqual(['x'.repeat(64), `${'x'.repeat(62)}_2`]);
  });

  it('round-trips through the description', () => {
    for (const original of ['spotify.play', 'a.b.c', 'plain_name']) {
      const name = apiToolNames([original]).get(original) ?? '';
      const tool = { name, description: describeRenamed('Does things.', original, name) };
      expect(originalToolName(tool)).toBe(original);
    }
    expect(describeRenamed('Does things.', 'plain_name', 'plain_name')).toBe('Does things.');
  });
});

describe('parameter schemas', () => {
  it('maps BFCL type names to JSON Schema and drops `optional`', () => {
    const { schema, problems } = toJsonSchema({
      type: 'dict',
      properties: {
        ratio: { type: 'float', description: 'r' },
        point: { type: 'tuple', items: { type: 'float' } },
        anything: { type: 'any', description: 'x' },
        nested: { type: 'dict', properties: { n: { type: 'integer', optional: true, default: 2 } } },
      },
      required: ['ratio'],
    });
    expect(problems).toEqual([]);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        ratio: { type: 'number', description: 'r' },
        point: { type: 'array', items: { type: 'number' } },
        anything: { description: 'x' },
        nested: { type: 'object', properties: { n: { type: 'integer', default: 2 } } },
      },
      required: ['ratio'],
    });
  });

  it('names the path of an unknown type', () => {
    const { problems } = toJsonSchema({ type: 'dict', properties: { a: { type: 'complex' } } }, 'function.0.parameters');
    expect(problems).toEqual([{ path: 'function.0.parameters.properties.a.type', message: expect.stringContaining('unknown type "complex"') }]);
  });
});

describe('accepted-value matching', () => {
  const call: ExpectedCall = {
    id: 'resist',
    tool: 'calculate_resistance',
    args: { length: 5, resistivity: 'copper' },
    accept: { resistivity: ['copper', 'Cu', OMITTED], unit: ['ohm', 'Ω'] },
    needs: [],
  };
  const accepted = (args: Record<string, unknown>): boolean => argsAccepted(args, call.args, call.accept);

  it('accepts an alternative value', () => {
    expect(accepted({ length: 5, resistivity: 'Cu', unit: 'Ω' })).toBe(true);
    expect(accepted({ length: 5, resistivity: 'copper', unit: 'ohm' })).toBe(true);
  });

  it('lets a parameter be omitted when "" is accepted, and only then', () => {
    expect(accepted({ length: 5, unit: 'ohm' })).toBe(true);
    expect(accepted({ length: 5, resistivity: 'copper' })).toBe(false);
  });

  it('rejects a wrong value, in `accept` or in `args`', () => {
    expect(accepted({ length: 5, resistivity: 'aluminium', unit: 'ohm' })).toBe(false);
    expect(accepted({ length: 6, resistivity: 'copper', unit: 'ohm' })).toBe(false);
    expect(accepted({ length: 5, resistivity: '', unit: 'ohm' })).toBe(true);
  });

  it('compares values as JSON: lists in order, objects by keys, null as a value', () => {
    const c = { stops: [['A', 'B']], mod: [OMITTED, null], pop: [{ adults: 2, kids: 1 }] };
    expect(argsAccepted({ stops: ['A', 'B'], mod: null, pop: { kids: 1, adults: 2 } }, {}, c)).toBe(true);
    expect(argsAccepted({ stops: ['B', 'A'], pop: { kids: 1, adults: 2 } }, {}, c)).toBe(false);
  });

  it('without `accept` behaves as before: a subset match on `args`', () => {
    const plain: ExpectedCall = { id: 'p', tool: 't', args: { a: 1 }, needs: [] };
    expect(matchExpectedCall([plain], 't', { a: 1, extra: true }, new Set())?.id).toBe('p');
    expect(matchExpectedCall([plain], 't', { a: 2 }, new Set())).toBeUndefined();
  });

  it('matches calls order-free to the expected call whose accepted values they use', () => {
    const two: ExpectedCall[] = [
      { id: 'la', tool: 'waste', args: { city: 'Los Angeles' }, accept: { city: ['Los Angeles', 'LA'] }, needs: [] },
      { id: 'ny', tool: 'waste', args: { city: 'New York' }, accept: { city: ['New York', 'NYC'] }, needs: [] },
    ];
    expect(matchExpectedCall(two, 'waste', { city: 'NYC' }, new Set())?.id).toBe('ny');
    expect(matchExpectedCall(two, 'waste', { city: 'LA' }, new Set(['ny']))?.id).toBe('la');
    expect(matchExpectedCall(two, 'waste', { city: 'Boston' }, new Set())).toBeUndefined();
  });
});

describe('accepted values in a session', () => {
  const dir = tmp('bb-bfcl-q-');
  const q = join(dir, 'q.json');
  const a = join(dir, 'a.json');
  writeFileSync(
    q,
    JSON.stringify({
      id: 'parallel_9000',
      question: [[{ role: 'user', content: 'Resistance of 5 m of copper wire and of 5 m of aluminium wire?' }]],
      function: [
        {
          name: 'physics.resistance',
          description: 'Resistance of a wire.',
          parameters: { type: 'dict', properties: { length: { type: 'integer' }, material: { type: 'string' } }, required: ['length'] },
        },
      ],
    }) + '\n',
  );
  writeFileSync(
    a,
    JSON.stringify({
      id: 'parallel_9000',
      ground_truth: [
        { 'physics.resistance': { length: [5], material: ['copper', ''] } },
        { 'physics.resistance': { length: [5], material: ['aluminium', 'aluminum'] } },
      ],
    }) + '\n',
  );
  const conversion = convertBfcl(source(q), source(a));
  const file = join(dir, conversion.files[0]?.name ?? 'missing.yaml');
  writeFileSync(file, conversion.files[0]?.text ?? '');
  const { scenario, issues } = loadScenarioFile(file);

  it('writes the first accepted values as args and the alternatives as accept', () => {
    expect(issues).toEqual([]);
    expect(scenario?.expectedCalls).toEqual([
      { id: 'call-1', tool: 'physics_resistance', args: { length: 5, material: 'copper' }, accept: { material: ['copper', ''] }, match_mode: 'bfcl', needs: [] },
      { id: 'call-2', tool: 'physics_resistance', args: { length: 5, material: 'aluminium' }, accept: { material: ['aluminium', 'aluminum'] }, match_mode: 'bfcl', needs: [] },
    ]);
  });

  it('completes with an alternative value and an omitted optional parameter, in either order', async () => {
    if (!scenario) throw new Error('no scenario');
    const record = await session(
      scenario,
      oneTurnOf([
        { name: 'physics_resistance', args: { length: 5, material: 'aluminum' } },
        { name: 'physics_resistance', args: { length: 5 } },
      ]),
    );
    expect(record.status).toBe('completed');
    expect(record.turns[0]?.calls.map((c) => [c.node, c.isError])).toEqual([
      ['call-2', false],
      ['call-1', false],
    ]);
    expect(JSON.parse(record.turns[0]?.calls[0]?.result ?? '{}')).toEqual({ ok: true, tool: 'physics.resistance', args: { length: 5, material: 'aluminum' } });
  });

  it('fails when a value is not accepted', async () => {
    if (!scenario) throw new Error('no scenario');
    const record = await session(
      scenario,
      oneTurnOf([
        { name: 'physics_resistance', args: { length: 5, material: 'copper' } },
        { name: 'physics_resistance', args: { length: 5, material: 'gold' } },
      ]),
    );
    expect(record.status).toBe('failed');
    expect(record.success.missingCalls).toEqual(['call-2']);
    expect(record.turns[0]?.calls[1]).toMatchObject({ node: null, isError: true });
  });
});

describe('validation of accept', () => {
  const write = (body: string): string => {
    const file = join(tmp('bb-accept-'), 's.yaml');
    writeFileSync(file, body);
    return file;
  };
  const scenarioWith = (expected: string, results: string): string => `
id: accept-check
title: Accept check
domain: test
shape: single-call
task: Convert 5 km.
tools:
  - name: convert
    description: Converts a distance.
    parameters: { type: object, properties: { value: { type: number }, unit: { type: string } } }
    results:
${results}
expected_calls:
  - ${expected}
reference_answer: done
`;

  it('requires a mocked result for every accepted value', () => {
    const file = write(
      scenarioWith(
        '{ id: c, tool: convert, args: { value: 5, unit: km }, accept: { unit: [km, kilometers, ""] } }',
        '      - { match: { value: 5, unit: km }, result: ok }\n      - { match: { value: 5 }, result: ok }',
      ),
    );
    expect(loadScenarioFile(file).issues).toEqual([
      expect.objectContaining({ path: 'expected_calls.0.accept.unit.1', message: expect.stringContaining('no mocked result of "convert"') }),
    ]);
  });

  it('requires args to use accepted values', () => {
    const file = write(
      scenarioWith('{ id: c, tool: convert, args: { value: 5, unit: miles }, accept: { unit: [km] } }', '      - { match: { value: 5 }, match_mode: subset, result: ok }'),
    );
    expect(loadScenarioFile(file).issues).toEqual([expect.objectContaining({ path: 'expected_calls.0.args', message: expect.stringContaining('accepted values') })]);
  });

  it('rejects an empty list of accepted values', () => {
    const file = write(scenarioWith('{ id: c, tool: convert, args: { value: 5 }, accept: { unit: [] } }', '      - { match: { value: 5 }, result: ok }'));
    expect(loadScenarioFile(file).issues).toEqual([expect.objectContaining({ path: 'expected_calls.0.accept.unit' })]);
  });
});

describe('bad input', () => {
  const good = readFileSync(QUESTIONS, 'utf8').split('\n').slice(0, 3);
  const goodAnswers = readFileSync(ANSWERS, 'utf8').split('\n').slice(0, 3);

  it('names the file, line and field', () => {
    const questions = [...good];
    questions[1] = (questions[1] ?? '').replace('"name": "calculate_em_force"', '"name": 5');
    questions[2] = (questions[2] ?? '').replace('"type": "float"', '"type": "complex"');
    const answers = [...goodAnswers];
    answers[0] = (answers[0] ?? '').replace('"duration": [20]', '"duration": []');
    answers.push('{"id": "parallel_3", oops');
    const r = convertBfcl({ file: 'q.json', text: questions.join('\n') }, { file: 'a.json', text: answers.join('\n') });
    expect(r.files).toEqual([]);
    expect(r.issues).toEqual([
      { file: 'q.json:2', path: 'function.0.name', message: expect.stringContaining('expected string') },
      { file: 'a.json:1', path: 'ground_truth.0.spotify.play.duration', message: 'list at least one accepted value' },
      { file: 'a.json:4', path: '', message: expect.stringContaining('not valid JSON') },
      { file: 'q.json:3', path: 'function.0.parameters.properties.area.type', message: expect.stringContaining('unknown type "complex"') },
    ]);
  });

  it('checks ground truth against the question', () => {
    const answers = [...goodAnswers];
    answers[1] = (answers[1] ?? '').replace('"b_field"', '"b_feld"');
    answers[2] = (answers[2] ?? '').replace('"calculate_resistance"', '"calc.resistance"');
    const r = convertBfcl({ file: 'q.json', text: good.join('\n') }, { file: 'a.json', text: [...answers, '{"id": "parallel_77", "ground_truth": [{"f": {}}]}'].join('\n') });
    expect(r.issues).toEqual([
      { file: 'a.json:2', path: 'ground_truth.0.calculate_em_force.b_feld', message: '"calculate_em_force" has no parameter "b_feld"' },
      { file: 'a.json:3', path: 'ground_truth.0.calc.resistance', message: expect.stringContaining('no function "calc.resistance"') },
      { file: 'a.json:4', path: 'id', message: expect.stringContaining('no question with id "parallel_77"') },
    ]);
  });
});

describe('batchbench import bfcl', () => {
  const sink = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), isTTY: false } };
  };

  it('writes one scenario file per question and exits 0', async () => {
    const dir = join(tmp('bb-import-'), 'out');
    const s = sink();
    expect(await main(['import', 'bfcl', QUESTIONS, ANSWERS, '--out', dir], s.io)).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.yaml'))).toHaveLength(200);
    expect(s.out.join('\n')).toContain('converted 200 of 200 question(s)');
    expect(s.out).toContain('dropped 0 optional ground-truth parameter(s) absent from their function\'s schema');
    expect(s.out.at(-1)).toBe('skipped 0 question(s)');
    expect(s.out.join('\n')).toContain('80 tool name(s) mapped');
    // Each file starts with the editor's schema line, pointing from the output directory at the package's schema.
    const first = readFileSync(join(dir, 'bfcl-parallel-0.yaml'), 'utf8').split('\n')[0] ?? '';
    const schema = first.replace('# yaml-language-server: $schema=', '');
    expect(first.startsWith('# yaml-language-server: $schema=')).toBe(true);
    expect(readFileSync(resolve(dir, schema), 'utf8')).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'scenario.schema.json'), 'utf8'));
  });

  it('exits 2 on bad input, names file and line, and writes nothing', async () => {
    const dir = tmp('bb-import-bad-');
    const q = join(dir, 'q.json');
    writeFileSync(q, '{"id": "parallel_0", "question": [], "function": []}\n');
    const s = sink();
    expect(await main(['import', 'bfcl', q, ANSWERS, '--out', join(dir, 'out')], s.io)).toBe(2);
    expect(s.err.join('\n')).toMatch(/q\.json:1: question: /);
    expect(readdirSync(dir)).toEqual(['q.json']);
  });

  it('exits 2 without --out', async () => {
    expect(await main(['import', 'bfcl', QUESTIONS, ANSWERS], sink().io)).toBe(2);
  });
});
