import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSION_COLUMNS, sessionRows } from '../../harness/reports/csv-reporter.js';
import { analyseSession } from '../../harness/metrics/session-report.js';
import { ScriptedProvider } from '../../harness/providers/scripted.js';
import type { ModelResponse } from '../../harness/providers/types.js';
import { loadScenarioFile } from '../../harness/scenarios/load-scenarios.js';
import type { Scenario } from '../../harness/scenarios/types.js';
import { PROJECT, session } from '../helpers.js';

/** The diamond fixture (trip → weather + hotel → total) with `success.trajectory` set to `mode`, loaded from a copy. */
function diamondWith(mode: string): ReturnType<typeof loadScenarioFile> {
  const dir = mkdtempSync(join(tmpdir(), 'bb-trajectory-'));
  const text = readFileSync(join(PROJECT, 'scenarios', 'diamond.yaml'), 'utf8').replace('success:\n', `success:\n  trajectory: ${mode}\n`);
  const file = join(dir, 'diamond.yaml');
  writeFileSync(file, text);
  return loadScenarioFile(file);
}

const loaded = (mode: string): Scenario => {
  const { scenario, issues } = diamondWith(mode);
  if (!scenario) throw new Error(JSON.stringify(issues));
  return scenario;
};

const turn = (...calls: [string, Record<string, unknown>][]): ModelResponse => ({
  parts: calls.map(([name, args], i) => ({ type: 'tool-call', id: `c${i}_${name}`, name, args, rawArgs: JSON.stringify(args) })),
  finishReason: 'tool-calls',
  usage: { inputTokens: 100, outputTokens: 10 },
});
const answer: ModelResponse = { parts: [{ type: 'text', text: 'It costs 190 in total.' }], finishReason: 'stop', usage: { inputTokens: 100, outputTokens: 10 } };
const trip: [string, Record<string, unknown>] = ['get_trip', { trip_id: 'T-1' }];
const weather: [string, Record<string, unknown>] = ['weather', { city: 'Lyon' }];
const hotel: [string, Record<string, unknown>] = ['hotel', { city: 'Lyon' }];
const total: [string, Record<string, unknown>] = ['total_cost', { per_night: 95, nights: 2 }];

describe('success.trajectory in a scenario', () => {
  it('is absent by default: success unchanged and no trajectory field in the record', async () => {
    const { scenario } = loadScenarioFile(join(PROJECT, 'scenarios', 'diamond.yaml'));
    expect(scenario?.success.trajectory).toBeUndefined();
    const record = await session(scenario as Scenario, new ScriptedProvider([turn(trip, hotel), turn(weather, hotel), turn(total), answer]));
    expect(record.status).toBe('completed');
    expect(record.success.trajectory).toBeUndefined();
  });

  it('strict: the optimal policy passes; a repeated hotel call fails the session though the answer is right', async () => {
    const scenario = loaded('strict');
    expect(scenario.success.trajectory).toBe('strict');
    const optimal = await session(scenario, 'ref:optimal');
    expect(optimal.status).toBe('completed');
    expect(optimal.success.trajectory).toEqual({ mode: 'strict', passed: true });
    const repeated = await session(scenario, new ScriptedProvider([turn(trip), turn(weather, hotel), turn(hotel, total), answer]));
    expect(repeated.status).toBe('failed');
    expect(repeated.success).toMatchObject({ passed: false, missingCalls: [], missingFacts: [], trajectory: { mode: 'strict', passed: false } });
    // sessions.csv carries the check; hotel made twice is also a duplicate.
    const [row] = [...sessionRows({ records: [repeated], perSession: [analyseSession(repeated, undefined, undefined)] })].map((r) => Object.fromEntries(SESSION_COLUMNS.map((c, i) => [c, r[i]])));
    expect(row).toMatchObject({ status: 'failed', trajectory_check: 'strict: failed', duplicate_calls: 1, trajectory_precision: 4 / 5 });
  });

  it('in-order fails a session that calls hotel before trip; any-order passes the same calls', async () => {
    const script = () => new ScriptedProvider([turn(trip, hotel), turn(weather), turn(total), answer]);
    expect((await session(loaded('in-order'), script())).success.trajectory).toEqual({ mode: 'in-order', passed: false });
    const anyOrder = await session(loaded('any-order'), script());
    expect(anyOrder.status).toBe('completed');
    expect(anyOrder.success.trajectory).toEqual({ mode: 'any-order', passed: true });
  });

  it('subset fails on an unexpected call; superset passes it', async () => {
    const script = () => new ScriptedProvider([turn(trip, ['weather', { city: 'Paris' }]), turn(weather, hotel), turn(total), answer]);
    expect((await session(loaded('subset'), script())).status).toBe('failed');
    expect((await session(loaded('superset'), script())).status).toBe('completed');
  });

  it('an unknown mode is refused naming the file and the field', () => {
    const { scenario, issues } = diamondWith('exact');
    expect(scenario).toBeUndefined();
    expect(issues.map((i) => i.path)).toEqual(['success.trajectory']);
    expect(issues[0]?.file).toMatch(/diamond\.yaml$/);
    expect(issues[0]?.message).toMatch(/strict/);
  });
});
