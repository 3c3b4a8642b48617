import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { convertBfcl } from '../../harness/scenarios/import/bfcl.js';
import { createProvider } from '../../harness/providers/registry.js';
import type { Provider } from '../../harness/providers/types.js';
import { runSession } from '../../harness/run/run-session.js';
import { withScenarioContext } from '../../harness/run/session-context.js';
import { maxTurns } from '../../harness/run/stop-rules.js';
import { bfclEqual, standardizeString } from '../../harness/core/bfcl-match.js';
import { matchExpectedCall } from '../../harness/scenarios/expected-calls.js';
import { loadScenarios } from '../../harness/scenarios/load-scenarios.js';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';
import { captureIO, fixtureVariant } from '../helpers.js';

/** The BFCL v4 parallel-family files as published: excerpts reproducing each upstream quirk (test/fixtures/bfcl/README.md). */

const FIX = join(import.meta.dirname, '..', 'fixtures', 'bfcl');
const q = (cat: string) => join(FIX, `BFCL_v4_${cat}.json`);
const a = (cat: string) => join(FIX, `possible_answer.BFCL_v4_${cat}.json`);
const source = (file: string) => ({ file: `test/fixtures/bfcl/${file.split('/').at(-1) ?? ''}`, text: readFileSync(file, 'utf8') });

async function importInto(cat: string, extra: string[] = []) {
  const out = join(mkdtempSync(join(tmpdir(), 'bb-bfcl-pub-')), 'out');
  const io = captureIO();
  const code = await main(['import', 'bfcl', q(cat), a(cat), '--out', out, ...extra], io);
  return { code, io, out };
}

describe('BFCL string normalisation (standardize_string of BFCL\'s ast_checker)', () => {
  it('drops spaces and , . / - _ * ^, lowercases, turns single quotes into double', () => {
    expect(standardizeString("Boston, MA")).toBe('bostonma');
    expect(standardizeString("April 1, 2024")).toBe('april12024');
    expect(standardizeString("data['sales'] * 2^3")).toBe('data["sales"]23');
    expect(standardizeString('New_York-City/NY.')).toBe('newyorkcityny');
  });

  it('compares strings inside lists and objects, numbers by value, lists in order', () => {
    expect(bfclEqual('Boston,MA', 'boston, ma')).toBe(true);
    expect(bfclEqual(['Free WiFi', 'Gym'], ['free-wifi', 'GYM'])).toBe(true);
    expect(bfclEqual(['Gym', 'Free WiFi'], ['free-wifi', 'GYM'])).toBe(false);
    expect(bfclEqual({ size: 'Large' }, { size: 'large' })).toBe(true);
    expect(bfclEqual(8, 8.0)).toBe(true);
    expect(bfclEqual('8', 8)).toBe(false);
    expect(bfclEqual('Boston', 'Bostn')).toBe(false);
  });
});

describe('parallel_multiple as published', () => {
  const r = convertBfcl(source(q('parallel_multiple')), source(a('parallel_multiple')));

  it('drops the two optional ground-truth parameters absent from the schema, with a note, and converts all 3 questions', () => {
    expect(r.issues).toEqual([]);
    expect(r.scenarios.map((s) => s.sourceId)).toEqual(['parallel_multiple_0', 'parallel_multiple_12', 'parallel_multiple_26']);
    expect(r.dropped).toEqual([
      {
        file: 'test/fixtures/bfcl/possible_answer.BFCL_v4_parallel_multiple.json:2',
        path: 'ground_truth.1.calculate_voltage_difference.permeability',
        message: 'optional parameter "permeability" is not in the schema of "calculate_voltage_difference"; dropped',
      },
      {
        file: 'test/fixtures/bfcl/possible_answer.BFCL_v4_parallel_multiple.json:3',
        path: 'ground_truth.1.bank.calculate_balance.type',
        message: 'optional parameter "type" is not in the schema of "bank.calculate_balance"; dropped',
      },
    ]);
    const voltage = r.scenarios[1]?.document.expected_calls[1];
    expect(voltage?.args).toEqual({ electric_field: 5.0, distance: 3.0, charge: 0.0 });
    expect(Object.keys(voltage?.accept ?? {})).toEqual(['charge']);
  });

  it('the CLI prints what was mapped, dropped and skipped, and exits 0', async () => {
    const { code, io, out } = await importInto('parallel_multiple');
    expect(code).toBe(0);
    expect(io.stdout[0]).toMatch(/^converted 3 of 3 question\(s\) into .*: 6 expected call\(s\), 4 tool name\(s\) mapped \(e\.g\. math_toolkit\.sum_of_multiples -> math_toolkit_sum_of_multiples\)$/);
    expect(io.stdout).toContain('dropped 2 optional ground-truth parameter(s) absent from their function\'s schema');
    expect(io.stdout.at(-1)).toBe('skipped 0 question(s)');
    expect(readdirSync(out).sort()).toEqual(['bfcl-parallel-multiple-0.yaml', 'bfcl-parallel-multiple-12.yaml', 'bfcl-parallel-multiple-26.yaml']);
  });
});

describe('live_parallel as published', () => {
  const r = convertBfcl(source(q('live_parallel')), source(a('live_parallel')));
  const dir = mkdtempSync(join(tmpdir(), 'bb-bfcl-live-'));

  it('a system message becomes the scenario\'s context; the two-turn question is skipped with its reason', () => {
    expect(r.questionCount).toBe(4);
    expect(r.scenarios.map((s) => s.sourceId)).toEqual(['live_parallel_1-0-1', 'live_parallel_3-0-3', 'live_parallel_15-11-0']);
    const spanish = r.scenarios[1]?.document;
    expect(spanish?.context).toMatch(/^Eres un asistente IA\./);
    expect(spanish?.task).toBe('¿Podrías decirme las condiciones actuales del clima en Cancún, QR, Playa del Carmen, QR y Tulum, QR?');
    expect(r.issues).toEqual([
      { file: 'test/fixtures/bfcl/BFCL_v4_live_parallel.json:4', path: 'question', message: 'only single-turn questions are supported' },
    ]);
  });

  it('imported scenarios use match_mode bfcl: "boston,ma" and "SAN FRANCISCO, CA" match the ground truth and the mocks', async () => {
    const text = r.files[0]?.text ?? '';
    expect(text).toContain('match_mode: bfcl');
    const io = captureIO();
    expect(await main(['import', 'bfcl', q('live_parallel'), a('live_parallel'), '--out', dir], io)).toBe(0);
    const { scenarios, issues } = loadScenarios([dir]);
    expect(issues).toEqual([]);
    const boston = scenarios.find((s) => s.id === 'bfcl-live-parallel-1-0-1');
    if (!boston) throw new Error('not imported');
    const tools = new MockToolExecutor(boston);
    const args = { location: 'boston,ma' };
    expect(matchExpectedCall(boston.expectedCalls, 'get_current_weather', args, new Set())?.id).toBe('call-1');
    expect(matchExpectedCall(boston.expectedCalls, 'get_current_weather', { location: 'SAN FRANCISCO, CA', unit: 'Fahrenheit' }, new Set())?.id).toBe('call-2');
    expect(matchExpectedCall(boston.expectedCalls, 'get_current_weather', { location: 'Boston, NY' }, new Set())).toBeUndefined();
    expect(await tools.execute('get_current_weather', args, '')).toMatchObject({ isError: false, content: '{"ok":true,"tool":"get_current_weather","args":{"location":"Boston, MA"}}' });
  });

  it('the context reaches the model after the variant\'s system text, and ref:optimal completes every question in 2 turns', async () => {
    const { scenarios } = loadScenarios([dir]);
    expect(scenarios).toHaveLength(3);
    expect(withScenarioContext('Be brief.', 'Eres un asistente IA.')).toBe('Be brief.\n\nEres un asistente IA.');
    expect(withScenarioContext('', 'ctx')).toBe('ctx');
    for (const s of scenarios) {
      const systems: string[] = [];
      const provider = createProvider('ref:optimal').forScenario(s);
      const spy: Provider = {
        id: provider.id,
        kind: provider.kind,
        generate: (req, signal) => {
          systems.push(req.system);
          return provider.generate(req, signal);
        },
      };
      const record = await runSession({ runId: 't', scenario: s, variant: fixtureVariant(), provider: spy, repeat: 0, seed: 1, tools: new MockToolExecutor(s), stopRules: [maxTurns(10)], modelLatencyMs: 0 });
      expect(record.status, s.id).toBe('completed');
      expect(record.turns, s.id).toHaveLength(2);
      if (s.context) expect(systems[0]?.endsWith(`\n\n${s.context}`), s.id).toBe(true);
      else expect(systems[0], s.id).toBe(fixtureVariant().system);
    }
  });

  it('the CLI skips the unconvertible question, says why, exits 0; --strict exits 2 and writes nothing', async () => {
    const lenient = await importInto('live_parallel');
    expect(lenient.code).toBe(0);
    expect(lenient.io.stdout).toContain('mapped the system messages of 1 question(s) to the scenario\'s context');
    expect(lenient.io.stdout.slice(-2)).toEqual([
      'skipped 1 question(s) (--strict fails instead):',
      '  test/fixtures/bfcl/BFCL_v4_live_parallel.json:4: question: only single-turn questions are supported',
    ]);
    expect(readdirSync(lenient.out)).toHaveLength(3);
    const strict = await importInto('live_parallel', ['--strict']);
    expect(strict.code).toBe(2);
    expect(strict.io.stderr.at(-1)).toBe('1 problem(s) found; nothing written (--strict)');
    expect(() => readdirSync(strict.out)).toThrow();
  });
});

describe('live_parallel_multiple as published', () => {
  it('converts both questions; functions the ground truth never calls get an error fallback so the scenario validates', async () => {
    const { code, out } = await importInto('live_parallel_multiple');
    expect(code).toBe(0);
    const { scenarios, issues } = loadScenarios([out]);
    expect(issues).toEqual([]);
    const weather = scenarios.find((s) => s.id === 'bfcl-live-parallel-multiple-1-1-0');
    const oncall = weather?.tools.find((t) => t.definition.name === 'start_oncall');
    expect(oncall?.fallback?.outcome).toEqual({ kind: 'error', message: 'nothing recorded for this call of start_oncall' });
    expect(weather?.expectedCalls.map((c) => c.tool)).toEqual(['get_current_weather', 'get_current_weather']);
  });
});
