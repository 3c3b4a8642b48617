import { describe, expect, it } from 'vitest';
import { sessionMetrics } from '../../../harness/metrics/session-metrics.js';
import { ScriptedProvider } from '../../../harness/providers/scripted.js';
import { GATHER_INSTRUCTION } from '../../../harness/run/strategies/hybrid.js';
import { session } from '../../helpers.js';
import { calls, chainShape, reference, strategyScenario, strategyVariant, SUITE, text, turnShape } from './helpers.js';

const hybrid = strategyVariant('hybrid');

describe('hybrid strategy (batch-then-chain)', () => {
  it('diamond: the model gathers the trip, the harness fetches weather, hotel and total, one synthesis turn', async () => {
    const scenario = strategyScenario('diamond');
    const provider = reference('ref:optimal', scenario);
    const record = await session(scenario, provider, { variant: hybrid });
    expect(turnShape(record)).toEqual([
      { phase: 'gather', calls: ['trip'] },
      { phase: 'synthesis', calls: [] },
    ]);
    expect(chainShape(record)).toEqual(['1:forecast=weather', '2:stay=hotel', '3:cost=total']);
    expect(record.chainCalls?.every((c) => c.source === 'hybrid' && c.beforeTurn === 2)).toBe(true);
    expect(record.status).toBe('completed');
    expect(sessionMetrics(record)).toMatchObject({ turns: 2, toolTurns: 1, toolCalls: 4, chainCalls: 3, parallelCalls: 0, avgToolsPerTurn: 1, overhead: -2 });
    // model 1000 + trip 100 + weather 200 + hotel 300 + total 10 + model 1000
    expect(record.virtualMs).toBe(1000 + 100 + 200 + 300 + 10 + 1000);
    expect(provider.requests[0]?.system.endsWith(GATHER_INSTRUCTION)).toBe(true);
    expect(provider.requests[0]?.tools).toHaveLength(4);
    expect(provider.requests[1]).toMatchObject({ options: { toolChoice: 'none' }, context: { phase: 'synthesis' } });
    expect(provider.requests[1]?.tools).toHaveLength(4); // kept: the history holds tool calls
    // History of the synthesis call: task, gather calls, their results, the harness's results.
    expect(provider.requests[1]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user']);
  });

  it('chain: gather the customer, then order and policy deterministically', async () => {
    for (const policy of ['ref:optimal', 'ref:sequential']) {
      const record = await session(strategyScenario('chain'), policy, { variant: hybrid });
      expect(turnShape(record).map((t) => t.calls)).toEqual([['customer'], []]);
      expect(chainShape(record)).toEqual(['1:latest=order', '2:eligibility=policy']);
      expect(record.status).toBe('completed');
      expect(record.virtualMs).toBe(1000 + 50 + 70 + 30 + 1000);
    }
  });

  it('PR prep: the model batches diff, log and tests; linting the changed files is processing', async () => {
    const scenario = strategyScenario('coding-pr-prep', SUITE);
    const record = await session(scenario, 'ref:optimal', { variant: hybrid });
    expect(turnShape(record).map((t) => t.calls)).toEqual([['diff', 'log', 'tests'], []]);
    expect(chainShape(record)).toEqual(['1:lint_changed=lint']);
    expect(record.status).toBe('completed');
    const m = sessionMetrics(record);
    expect(m).toMatchObject({ turns: 2, toolTurns: 1, toolCalls: 4, chainCalls: 1, parallelCalls: 3, batchingRate: 1, avgToolsPerTurn: 3 });
    // model, slowest of the gathered batch (run_tests 7200), lint 1300, model.
    expect(record.virtualMs).toBe(1000 + 7200 + 1300 + 1000);
    // A model that gathers one call at a time gets only the diff: log and tests are never made.
    const seq = await session(scenario, 'ref:sequential', { variant: hybrid });
    expect(turnShape(seq).map((t) => t.calls)).toEqual([['diff'], []]);
    expect(seq.status).toBe('failed');
    expect(seq.success.missingCalls).toEqual(['log', 'tests']);
  });

  it('a step whose source was not gathered is skipped, and the task fails', async () => {
    const scenario = strategyScenario('diamond');
    const provider = new ScriptedProvider([calls(['weather', { city: 'Lyon' }]), text('Rain in Lyon.')]);
    const record = await session(scenario, provider, { variant: hybrid });
    expect(chainShape(record)).toEqual([]);
    expect(record.extra?.hybrid).toEqual({
      gathered: 1,
      steps: [
        { id: 'forecast', tool: 'weather', status: 'skipped', reason: 'city: the gather turn did not get "trip"' },
        { id: 'stay', tool: 'hotel', status: 'skipped', reason: 'city: the gather turn did not get "trip"' },
        { id: 'cost', tool: 'total_cost', status: 'skipped', reason: 'per_night: step "stay" was skipped' },
      ],
    });
    expect(record.status).toBe('failed');
  });

  it('a gather turn without tool calls is the answer; a scenario without hybrid steps runs the plain loop', async () => {
    const answered = await session(strategyScenario('diamond'), new ScriptedProvider([text('No idea.')]), { variant: hybrid });
    expect(answered.turns).toHaveLength(1);
    expect(answered.finalAnswer).toBe('No idea.');
    for (const [policy, shape] of [
      ['ref:optimal', [['api', 'db', 'cache', 'queue'], []]],
      ['ref:sequential', [['api'], ['db'], ['cache'], ['queue'], []]],
    ] as const) {
      const record = await session(strategyScenario('fan-out'), policy, { variant: hybrid });
      expect(record.extra?.hybrid).toEqual({ fallback: 'loop', reason: 'the scenario declares no hybrid steps' });
      expect(turnShape(record).map((t) => t.calls)).toEqual(shape);
    }
  });
});
