import { describe, expect, it } from 'vitest';
import { missedParallelism } from '../../harness/metrics/missed-parallelism.js';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { markCalls, orderedCalls, wasteFigures } from '../../harness/metrics/waste.js';
import { ScriptedProvider } from '../../harness/providers/scripted.js';
import type { ModelResponse } from '../../harness/providers/types.js';
import type { ChainCallRecord, SessionRecord } from '../../harness/core/run-file/records.js';
import { trajectoryFigures, trajectoryMatches, TRAJECTORY_MODES } from '../../harness/core/trajectory.js';
import { fixtureScenario, session } from '../helpers.js';

/** One model response: the calls (tool, args) side by side, with the given input tokens. */
const turn = (inputTokens: number, ...calls: [string, Record<string, unknown>][]): ModelResponse => ({
  parts: calls.map(([name, args], i) => ({ type: 'tool-call', id: `t${inputTokens}_${i + 1}`, name, args, rawArgs: JSON.stringify(args) })),
  finishReason: 'tool-calls',
  usage: { inputTokens, outputTokens: 10 },
});
const answer = (inputTokens: number, text: string): ModelResponse => ({ parts: [{ type: 'text', text }], finishReason: 'stop', usage: { inputTokens, outputTokens: 20 } });
const status = (service: string, extra: Record<string, unknown> = {}): [string, Record<string, unknown>] => ['service_status', { service, ...extra }];

const ANSWER = 'db is degraded; the queue has a backlog of 1,204.';
const fanOut = fixtureScenario('fan-out');
const dag = fanOut.expectedCalls.map((c) => ({ id: c.id, tool: c.tool, args: c.args, needs: c.needs }));
const scenario = { dag, requiredCalls: fanOut.success.requiredCalls };

/**
 * Turn 1 (100 in): api with an argument no mock answers (fails, stands for `api`), db.
 * Turn 2 (200 in): api again (succeeds: recovers turn 1's failure), db again (duplicate), cache.
 * Turn 3 (300 in): cache again (duplicate), service_health (unknown tool: unexpected, fails, never recovered): a wasted turn.
 * Turn 4 (400 in): queue. Turn 5 (500 in): the answer.
 */
async function wastefulSession(): Promise<SessionRecord> {
  const provider = new ScriptedProvider([
    turn(100, status('api', { verbose: true }), status('db')),
    turn(200, status('api'), status('db'), status('cache')),
    turn(300, status('cache'), ['service_health', { service: 'web' }]),
    turn(400, status('queue')),
    answer(500, ANSWER),
  ]);
  return session(fanOut, provider);
}

describe('waste metrics from a scripted session', () => {
  it('hand-computed: 2 duplicates, 1 unexpected, 2 failed of which 1 recovered, 1 wasted turn of 300 input tokens', async () => {
    const record = await wastefulSession();
    expect(record.turns.map((t) => t.calls.map((c) => `${c.node ?? c.name}${c.isError ? '!' : ''}`))).toEqual([
      ['api!', 'db'],
      ['api', 'db', 'cache'],
      ['cache', 'service_health!'],
      ['queue'],
      [],
    ]);
    expect(record.status).toBe('completed');
    const m = sessionMetrics(record, scenario);
    expect(m).toMatchObject({
      turns: 5,
      toolCalls: 8,
      parallelCalls: 7,
      batchingRate: 7 / 8,
      duplicateCalls: 2,
      unexpectedCalls: 1,
      failedCalls: 2,
      recoveredCalls: 1,
      unrecoveredCalls: 1,
      wastedTurns: 1,
      wastedInputTokens: 300,
      // Distinct expected calls made {api, db, cache, queue} = 4 of 8 calls; every required call made.
      trajectoryPrecision: 0.5,
      trajectoryRecall: 1,
    });
    const marks = markCalls(orderedCalls(record));
    // Position 3 (db of turn 2) repeats position 1 (db of turn 1); position 5 (cache of turn 3) repeats 4.
    expect(marks.map((x) => x.duplicateOf ?? null)).toEqual([null, null, null, 1, null, 4, null, null]);
    expect(marks.map((x) => x.recovered)).toEqual([true, false, false, false, false, false, false, false]);
  });

  it('without the scenario, recall is not known (NaN) and the waste figures are the same', async () => {
    const record = await wastefulSession();
    const m = sessionMetrics(record);
    expect(m.trajectoryRecall).toBeNaN();
    expect(m.trajectoryPrecision).toBe(0.5);
    expect(m.duplicateCalls).toBe(2);
  });

  it('perfect batching with duplicates: one turn of 6 calls scores efficiency 6 but 2 duplicates and precision 4/6', async () => {
    const provider = new ScriptedProvider([
      turn(100, status('api'), status('db'), status('cache'), status('queue'), status('api'), status('db')),
      answer(250, ANSWER),
    ]);
    const record = await session(fanOut, provider);
    const m = sessionMetrics(record, scenario);
    expect(record.status).toBe('completed');
    expect(missedParallelism(record.turns, dag)).toEqual([]);
    expect(TRAJECTORY_MODES.filter((mode) => trajectoryMatches(mode, record, dag, fanOut.success.requiredCalls))).toEqual(['in-order', 'any-order', 'subset', 'superset']);
    expect(m).toMatchObject({ turns: 2, overhead: 0, toolCalls: 6, parallelCalls: 6, batchingRate: 1, avgToolsPerTurn: 6, efficiencyScore: 6 });
    expect(m).toMatchObject({ duplicateCalls: 2, unexpectedCalls: 0, failedCalls: 0, wastedTurns: 0, wastedInputTokens: 0, trajectoryRecall: 1 });
    expect(m.trajectoryPrecision).toBeCloseTo(4 / 6, 12);
  });

  it('retrying a call that failed with the same arguments is not a duplicate; a later success of it is a recovery', () => {
    const call = (id: string, isError: boolean) => ({ id, name: 'f', args: { x: 1 }, rawArgs: '{"x":1}', node: 'n', depsSatisfied: true, result: '', isError, latencyMs: 0 });
    const t = (index: number, calls: ReturnType<typeof call>[], inputTokens: number) => ({ index, calls, usage: { inputTokens } });
    const s = { turns: [t(1, [call('a', true)], 10), t(2, [call('b', false)], 20), t(3, [call('c', false)], 40)] } as unknown as SessionRecord;
    expect(wasteFigures(s)).toEqual({ duplicateCalls: 1, unexpectedCalls: 0, failedCalls: 1, recoveredCalls: 1, unrecoveredCalls: 0, wastedTurns: 1, wastedInputTokens: 40 });
  });

  it('a call the scenario expects twice is no duplicate the second time, but is the third time', () => {
    const call = (id: string, node: string | null) => ({ id, name: 'draw', args: { mu: 5 }, rawArgs: '', node, depsSatisfied: true, result: '', isError: false, latencyMs: 0 });
    // Expected calls d1 and d2 both draw { mu: 5 }; the third draw matches d1 again (matchExpectedCall falls back to a matched node).
    const s = { turns: [{ index: 1, calls: [call('a', 'd1'), call('b', 'd2')], usage: { inputTokens: 5 } }, { index: 2, calls: [call('c', 'd1')], usage: { inputTokens: 9 } }] } as unknown as SessionRecord;
    expect(markCalls(orderedCalls(s)).map((m) => m.duplicateOf ?? null)).toEqual([null, null, 0]);
    expect(wasteFigures(s)).toMatchObject({ duplicateCalls: 1, wastedTurns: 1, wastedInputTokens: 9 });
  });

  it('harness calls come before the turn they preceded: a model call repeating a chain call is a duplicate, the harness wave is no wasted turn', () => {
    const base = { id: 'h', name: 'f', args: { x: 1 }, rawArgs: '{"x":1}', node: 'n', depsSatisfied: true, result: '', isError: false, latencyMs: 0 };
    const chain: ChainCallRecord = { ...base, source: 'chain', step: 's', wave: 1, beforeTurn: 1, startMs: 0 };
    const s = { turns: [{ index: 1, calls: [{ ...base, id: 'm' }], usage: { inputTokens: 70 } }], chainCalls: [chain] } as unknown as SessionRecord;
    expect(orderedCalls(s).map((c) => c.call.id)).toEqual(['h', 'm']);
    expect(wasteFigures(s)).toMatchObject({ duplicateCalls: 1, wastedTurns: 1, wastedInputTokens: 70 });
  });
});

describe('trajectory match', () => {
  const diamond = [
    { id: 'trip', needs: [] },
    { id: 'weather', needs: ['trip'] },
    { id: 'hotel', needs: ['trip'] },
    { id: 'total', needs: ['weather', 'hotel'] },
  ];
  const all = diamond.map((n) => n.id);
  const sessionOf = (...turns: (string | null)[][]) =>
    ({
      turns: turns.map((nodes, i) => ({
        index: i + 1,
        calls: nodes.map((node, j) => ({ id: `${i}-${j}`, name: node ?? 'other', args: { j }, rawArgs: '', node, depsSatisfied: true, result: '', isError: false, latencyMs: 0 })),
        usage: { inputTokens: 1 },
      })),
    }) as unknown as SessionRecord;
  const modes = (s: SessionRecord, required = all) => TRAJECTORY_MODES.filter((m) => trajectoryMatches(m, s, diamond, required));

  it('the optimal order meets every mode', () => {
    expect(modes(sessionOf(['trip'], ['weather', 'hotel'], ['total'], []))).toEqual(['strict', 'in-order', 'any-order', 'subset', 'superset']);
  });
  it('a repeat breaks strict only', () => {
    expect(modes(sessionOf(['trip'], ['weather', 'hotel'], ['hotel', 'total']))).toEqual(['in-order', 'any-order', 'subset', 'superset']);
  });
  it('total before its needs breaks in-order; all in one batch too', () => {
    expect(modes(sessionOf(['trip', 'total'], ['weather', 'hotel']))).toEqual(['any-order', 'subset', 'superset']);
    expect(modes(sessionOf(['trip', 'weather', 'hotel', 'total']))).toEqual(['any-order', 'subset', 'superset']);
  });
  it('an unexpected call leaves superset; a missing required call leaves subset; an optional one missing is fine', () => {
    expect(modes(sessionOf(['trip'], ['weather', 'hotel', null], ['total']))).toEqual(['superset']);
    expect(modes(sessionOf(['trip'], ['weather']))).toEqual(['subset']);
    // hotel is optional here, but total needs it: not in order.
    expect(modes(sessionOf(['trip'], ['weather'], ['total']), ['trip', 'weather', 'total'])).toEqual(['any-order', 'subset', 'superset']);
  });
  it('precision and recall: 2 distinct of 5 calls; 2 of 4 required', () => {
    expect(trajectoryFigures(sessionOf(['trip', 'trip'], ['weather', null, 'weather']), all)).toEqual({ precision: 2 / 5, recall: 2 / 4 });
    expect(trajectoryFigures(sessionOf([]), all)).toEqual({ precision: 1, recall: 0 });
  });
});
