import { describe, expect, it } from 'vitest';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { batches, fixtureScenario, session } from '../helpers.js';

describe('reference policies on hand-worked tasks', () => {
  it('fan-out of 4: sequential takes 5 turns with no batching, optimal 2 turns with all 4 batched', async () => {
    const scenario = fixtureScenario('fan-out');
    const seq = await session(scenario, 'ref:sequential');
    const opt = await session(scenario, 'ref:optimal');
    expect(batches(seq)).toEqual([['api'], ['db'], ['cache'], ['queue'], []]);
    expect(batches(opt)).toEqual([['api', 'db', 'cache', 'queue'], []]);
    expect(sessionMetrics(seq)).toMatchObject({ turns: 5, toolCalls: 4, parallelCalls: 0, batchingRate: 0, avgToolsPerTurn: 1, efficiencyScore: 0, overhead: 3, success: true });
    expect(sessionMetrics(opt)).toMatchObject({ turns: 2, toolCalls: 4, parallelCalls: 4, batchingRate: 1, avgToolsPerTurn: 4, efficiencyScore: 4, overhead: 0, success: true });
  });

  it('chain of 3: both policies need 4 turns and cannot batch', async () => {
    const scenario = fixtureScenario('chain');
    for (const policy of ['ref:sequential', 'ref:optimal']) {
      const record = await session(scenario, policy);
      expect(batches(record)).toEqual([['customer'], ['order'], ['policy'], []]);
      expect(sessionMetrics(record)).toMatchObject({ turns: 4, parallelCalls: 0, batchingRate: 0, success: true });
    }
  });

  it('diamond: sequential 5 turns; optimal 4 turns batching the 2 middle calls (rate 2/4)', async () => {
    const scenario = fixtureScenario('diamond');
    const seq = await session(scenario, 'ref:sequential');
    const opt = await session(scenario, 'ref:optimal');
    expect(batches(seq)).toEqual([['trip'], ['weather'], ['hotel'], ['total'], []]);
    expect(batches(opt)).toEqual([['trip'], ['weather', 'hotel'], ['total'], []]);
    expect(sessionMetrics(seq)).toMatchObject({ turns: 5, parallelCalls: 0, batchingRate: 0 });
    const m = sessionMetrics(opt);
    expect(m).toMatchObject({ turns: 4, toolCalls: 4, parallelCalls: 2, batchingRate: 0.5, overhead: 0, success: true });
    expect(m.avgToolsPerTurn).toBeCloseTo(4 / 3, 12);
    expect(m.efficiencyScore).toBeCloseTo(2 / 3, 12);
  });

  it('virtual wall time: model latency per turn plus the slowest tool of each batch', async () => {
    const scenario = fixtureScenario('fan-out');
    // Latencies: api 100, db 400, cache 100, queue 100; model 1000 per turn.
    expect((await session(scenario, 'ref:optimal')).virtualMs).toBe(2 * 1000 + 400);
    expect((await session(scenario, 'ref:sequential')).virtualMs).toBe(5 * 1000 + 100 + 400 + 100 + 100);
  });

  it('stochastic with p=0 equals sequential and with p=1 equals optimal, on every shape', async () => {
    for (const name of ['fan-out', 'chain', 'diamond']) {
      const scenario = fixtureScenario(name);
      for (const seed of [1, 2, 3]) {
        expect(batches(await session(scenario, 'ref:stochastic:0', { seed }))).toEqual(batches(await session(scenario, 'ref:sequential')));
        expect(batches(await session(scenario, 'ref:stochastic:1', { seed }))).toEqual(batches(await session(scenario, 'ref:optimal')));
      }
    }
  });

  it('stochastic is reproducible for a seed and varies across seeds', async () => {
    const scenario = fixtureScenario('fan-out');
    const runs = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => session(scenario, 'ref:stochastic:0.5', { seed })));
    const again = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => session(scenario, 'ref:stochastic:0.5', { seed })));
    expect(runs.map(batches)).toEqual(again.map(batches));
    expect(new Set(runs.map((r) => r.turns.length)).size).toBeGreaterThan(1);
    for (const r of runs) expect(r.status).toBe('completed');
  });

  it('reference tokens come from the tokenizer, flagged as estimated, and grow with the history', async () => {
    const record = await session(fixtureScenario('chain'), 'ref:sequential');
    const input = record.turns.map((t) => t.usage.inputTokens);
    expect(record.turns.every((t) => t.usage.estimated)).toBe(true);
    expect(input[0]).toBeGreaterThan(50);
    for (let i = 1; i < input.length; i++) expect(input[i]).toBeGreaterThan(input[i - 1] as number);
  });

  it('with parallel calls turned off by the variant, optimal degrades to one call per turn', async () => {
    const scenario = fixtureScenario('fan-out');
    const record = await session(scenario, 'ref:optimal', { variant: { ...(await import('../helpers.js')).fixtureVariant(), parallelToolCalls: false } });
    expect(record.turns.length).toBe(5);
  });

  it('the budget stop rule ends a session as budget-exceeded', async () => {
    const record = await session(fixtureScenario('chain'), 'ref:sequential', { maxTurns: 2 });
    expect(record.status).toBe('budget-exceeded');
    expect(record.turns.length).toBe(2);
    if (record.status === 'budget-exceeded') expect(record.stopReason).toContain('2 model turns');
  });
});
