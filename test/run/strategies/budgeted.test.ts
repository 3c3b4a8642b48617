import { describe, expect, it } from 'vitest';
import { sessionMetrics } from '../../../harness/metrics/session-metrics.js';
import { ScriptedProvider } from '../../../harness/providers/scripted.js';
import { FINAL_ANSWER_INSTRUCTION } from '../../../harness/run/strategies/budgeted.js';
import { session } from '../../helpers.js';
import { calls, reference, strategyScenario, strategyVariant, turnShape } from './helpers.js';

const budget = (max_turns: number, max_tool_calls_per_turn: number) => strategyVariant('budgeted', { max_turns, max_tool_calls_per_turn });

describe('budgeted strategy', () => {
  it('max 2 tool calls per turn on a 5-wide fan-out: 3 + 1 refused calls, retried over 3 tool turns, then the answer', async () => {
    const scenario = strategyScenario('fan-out-5');
    const provider = reference('ref:optimal', scenario);
    const record = await session(scenario, provider, { variant: budget(5, 2) });
    // Turn 1: all 5 asked, calls 3-5 refused. Turn 2: the 3 refused ones asked again, the 3rd refused. Turn 3: the last. Turn 4: answer.
    expect(turnShape(record)).toEqual([
      { phase: '', calls: ['api', 'db', 'cache!', 'queue!', 'search!'] },
      { phase: '', calls: ['cache', 'queue', 'search!'] },
      { phase: '', calls: ['search'] },
      { phase: '', calls: [] },
    ]);
    const refused = record.turns.flatMap((t) => t.calls.filter((c) => c.isError));
    expect(refused.map((c) => c.errorKind)).toEqual(['over-budget', 'over-budget', 'over-budget', 'over-budget']);
    expect(refused[0]?.result).toBe(
      'Error: not run: this response asked for 5 tool calls and at most 2 run per turn, so call 3 was refused. Ask for it again in your next turn.',
    );
    expect(refused[3]?.result).toContain('asked for 3 tool calls and at most 2 run per turn, so call 3 was refused');
    expect(record.status).toBe('completed');
    expect(record.extra?.budget).toEqual({ maxTurns: 5, maxToolCallsPerTurn: 2 });
    // 5 + 3 + 1 = 9 calls recorded, 4 of them refused; batches 5, 3, 1 -> parallel 8, rate 8/9.
    const m = sessionMetrics(record);
    expect(m).toMatchObject({ turns: 4, toolTurns: 3, toolCalls: 9, toolErrors: 4, parallelCalls: 8, chainCalls: 0, success: true });
    expect(m.batchingRate).toBeCloseTo(8 / 9, 12);
    // Virtual clock: 4 model calls x 1000 + 100 per tool turn (refused calls take 0 ms).
    expect(record.virtualMs).toBe(4 * 1000 + 3 * 100);
    expect(provider.requests.every((r) => r.tools.length === 1 && r.options.toolChoice === undefined)).toBe(true);
  });

  it('at the turn limit the last call may not use tools and asks for an answer; a missing result fails the task', async () => {
    const scenario = strategyScenario('fan-out-5');
    const provider = reference('ref:optimal', scenario);
    const record = await session(scenario, provider, { variant: budget(3, 2) });
    expect(turnShape(record)).toEqual([
      { phase: '', calls: ['api', 'db', 'cache!', 'queue!', 'search!'] },
      { phase: '', calls: ['cache', 'queue', 'search!'] },
      { phase: 'final', calls: [] },
    ]);
    const last = provider.requests[2];
    // Tool use is off; the definitions stay because the history holds tool calls (see withoutTools).
    expect(last?.options.toolChoice).toBe('none');
    expect(last?.tools.map((t) => t.name)).toEqual(['service_status']);
    expect(last?.system.endsWith(FINAL_ANSWER_INSTRUCTION)).toBe(true);
    expect(last?.context.phase).toBe('final');
    // The reference policy answers, but `search` was refused twice and never made.
    expect(record.status).toBe('failed');
    expect(record.success.missingCalls).toEqual(['search']);
  });

  it('a model that still calls tools at the turn limit: its calls are refused and the session is budget-exceeded', async () => {
    const scenario = strategyScenario('fan-out-5');
    const provider = new ScriptedProvider([
      calls(['service_status', { service: 'api' }], ['service_status', { service: 'db' }], ['service_status', { service: 'cache' }]),
      calls(['service_status', { service: 'queue' }]),
    ]);
    const record = await session(scenario, provider, { variant: budget(2, 2) });
    expect(turnShape(record)).toEqual([
      { phase: '', calls: ['api', 'db', 'cache!'] },
      { phase: 'final', calls: ['queue!'] },
    ]);
    expect(record.turns[1]?.calls[0]?.result).toBe('Error: not run: the budget of model turns is spent and no more tools can be called.');
    expect(record.status).toBe('budget-exceeded');
    if (record.status === 'budget-exceeded') expect(record.stopReason).toBe('reached the budget of 2 model turns without a final answer');
    expect(record.success.missingCalls).toEqual(['cache', 'queue', 'search']);
  });

  it('on fan-out, chain and diamond with the reference policies (budget 5 turns, 2 calls per turn)', async () => {
    const cases: [string, string, string[][], string][] = [
      // fan-out of 4: optimal asks 4, 2 refused, asks them again.
      ['fan-out', 'ref:optimal', [['api', 'db', 'cache!', 'queue!'], ['cache', 'queue'], []], 'completed'],
      // sequential: 4 tool turns, then turn 5 is the no-tools final call and answers.
      ['fan-out', 'ref:sequential', [['api'], ['db'], ['cache'], ['queue'], []], 'completed'],
      ['chain', 'ref:optimal', [['customer'], ['order'], ['policy'], []], 'completed'],
      ['diamond', 'ref:optimal', [['trip'], ['weather', 'hotel'], ['total'], []], 'completed'],
      ['diamond', 'ref:sequential', [['trip'], ['weather'], ['hotel'], ['total'], []], 'completed'],
    ];
    for (const [name, policy, shape, status] of cases) {
      const scenario = strategyScenario(name);
      const record = await session(scenario, policy, { variant: budget(5, 2) });
      expect(turnShape(record).map((t) => t.calls), `${name} ${policy}`).toEqual(shape);
      expect(record.status).toBe(status);
    }
    // With 1 call per turn the diamond's optimal batch of 2 is split: the refused `hotel` is asked again next turn.
    const record = await session(strategyScenario('diamond'), 'ref:optimal', { variant: budget(6, 1) });
    expect(turnShape(record).map((t) => t.calls)).toEqual([['trip'], ['weather', 'hotel!'], ['hotel'], ['total'], []]);
    expect(sessionMetrics(record)).toMatchObject({ turns: 5, toolCalls: 5, toolErrors: 1, success: true });
  });

  it('a variant built in code with a bad option (no load-time check) is an errored session that made no model call', async () => {
    const scenario = strategyScenario('fan-out');
    const provider = reference('ref:optimal', scenario);
    const record = await session(scenario, provider, { variant: strategyVariant('budgeted', { max_turns: 0 }) });
    expect(record.status).toBe('errored');
    if (record.status === 'errored') expect(record.error).toEqual({ class: 'StrategyOptionError', message: 'strategy_options.max_turns: must be at least 1' });
    expect(record.turns).toEqual([]);
    expect(provider.requests).toHaveLength(0);
  });
});
