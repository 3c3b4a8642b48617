import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { loadScenarios } from '../../harness/scenarios/load-scenarios.js';
import { loadHandlerModules, toolsForSession } from '../../harness/scenarios/tool-handlers.js';
import { captureIO } from '../helpers.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'handlers');

describe('tool handlers in code', () => {
  it('a stateful TypeScript store runs per session and its results are recorded like mocks', async () => {
    const { scenarios, issues } = loadScenarios([join(DIR, 'scenarios')]);
    expect(issues).toEqual([]);
    const scenario = scenarios[0];
    if (!scenario) throw new Error('no scenario');
    expect(await loadHandlerModules(scenarios)).toEqual([]);

    const tools = toolsForSession(scenario);
    expect(await tools.execute('reserve', { sku: 'SKU-1', units: 2 }, '')).toEqual({ content: '{"sku":"SKU-1","reserved":2,"left":1}', isError: false, latencyMs: 300 });
    expect(await tools.execute('reserve', { sku: 'SKU-1', units: 2 }, '')).toEqual({ content: 'Error: only 1 units of SKU-1 left', isError: true, errorKind: 'handler', latencyMs: 300 });
    // A new session starts from a fresh store; tools without a handler use their mocks.
    const fresh = toolsForSession(scenario);
    expect((await fresh.execute('get_stock', { sku: 'SKU-1' }, '')).content).toBe('{"sku":"SKU-1","units":3}');
    expect((await fresh.execute('list_warehouses', {}, '')).content).toBe('[{"id":"W1","region":"eu-west"}]');

    const out = mkdtempSync(join(tmpdir(), 'bb-handlers-'));
    const io = captureIO();
    const code = await main(['run', '--scenarios', join(DIR, 'scenarios'), '--prompts', join(DIR, 'prompts'), '--provider', 'ref:optimal', '--out', out, '--run-id', 'h', '--repeats', '2', '--quiet'], io);
    expect(code).toBe(0);
    const run = readRun(join(out, 'h'));
    expect(run.sessions).toHaveLength(2);
    for (const s of run.sessions) {
      expect(s.status).toBe('completed');
      expect(s.turns.map((t) => t.calls.map((c) => c.result))).toEqual([
        ['{"sku":"SKU-1","units":3}', '{"sku":"SKU-2","units":7}'],
        ['{"sku":"SKU-2","reserved":1,"left":6}'],
        [],
      ]);
      expect(sessionMetrics(s)).toMatchObject({ turns: 3, toolCalls: 3, parallelCalls: 2, virtualMs: 3 * 800 + 120 + 300 });
    }
  });

  it('validate flags a tool with neither handler nor mock, and a handler for an unknown tool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-handlers-bad-'));
    writeFileSync(join(dir, 'h.mjs'), 'export default { get_stock: () => 1, delete_everything: () => 0 };\n');
    writeFileSync(
      join(dir, 's.yaml'),
      [
        'id: bad-handlers', 'title: t', 'domain: d', 'shape: single-call', 'task: q', 'handlers: ./h.mjs',
        'tools:',
        '  - { name: get_stock, description: d, parameters: { type: object } }',
        '  - { name: reserve, description: d, parameters: { type: object } }',
        'expected_calls: [{ id: a, tool: get_stock }]',
        'reference_answer: ok',
      ].join('\n'),
    );
    const io = captureIO();
    expect(await main(['validate', '--scenarios', dir, '--prompts', join(DIR, 'prompts')], io)).toBe(2);
    const text = io.stderr.join('\n');
    expect(text).toMatch(/s\.yaml: tools\.1: tool "reserve" has neither a handler/);
    expect(text).toMatch(/h\.mjs: delete_everything: handler for "delete_everything"/);
  });

  it('without handlers, a tool with no mock and no fallback is rejected at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-nomock-'));
    writeFileSync(
      join(dir, 's.yaml'),
      ['id: s', 'title: t', 'domain: d', 'shape: single-call', 'task: q', 'tools:', '  - { name: t, description: d, parameters: { type: object }, results: [{ match: {}, result: r }] }', '  - { name: unused, description: d, parameters: { type: object } }', 'expected_calls: [{ id: a, tool: t }]', 'reference_answer: ok'].join('\n'),
    );
    expect(loadScenarios([dir]).issues).toEqual([expect.objectContaining({ path: 'tools.1', message: expect.stringContaining('no mocked result, fallback or handler') })]);
  });
});
