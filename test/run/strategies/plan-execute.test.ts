import { describe, expect, it } from 'vitest';
import { sessionMetrics } from '../../../harness/metrics/session-metrics.js';
import type { PlanMetrics } from '../../../harness/metrics/plan-metrics.js';
import type { SessionRecord } from '../../../harness/core/run-file/records.js';
import { ScriptedProvider } from '../../../harness/providers/scripted.js';
import { CARRY_ON, PLAN_INSTRUCTION } from '../../../harness/run/strategies/plan-execute.js';
import { session } from '../../helpers.js';
import { calls, chainShape, reference, strategyScenario, strategyVariant, text, turnShape } from './helpers.js';

const planExecute = strategyVariant('plan-execute');
const plan = (r: SessionRecord): PlanMetrics | undefined => r.extra?.plan;

describe('plan-execute strategy', () => {
  it('ref:optimal on fan-out, chain and diamond: plan turn, waves under the DAG, synthesis turn', async () => {
    const cases: [string, string[], number, number][] = [
      // [fixture, chain calls as wave:position=node, groups, virtual ms]
      ['fan-out', ['1:1=api', '1:2=db', '1:3=cache', '1:4=queue'], 1, 2000 + 400],
      ['chain', ['1:1=customer', '2:2=order', '3:3=policy'], 3, 2000 + 50 + 70 + 30],
      ['diamond', ['1:1=trip', '2:2=weather', '2:3=hotel', '3:4=total'], 3, 2000 + 100 + 300 + 10],
    ];
    for (const [name, shape, groups, virtualMs] of cases) {
      const scenario = strategyScenario(name);
      const provider = reference('ref:optimal', scenario);
      const record = await session(scenario, provider, { variant: planExecute });
      expect(turnShape(record), name).toEqual([
        { phase: 'plan', calls: [] },
        { phase: 'synthesis', calls: [] },
      ]);
      expect(chainShape(record)).toEqual(shape);
      expect(record.status).toBe('completed');
      expect(record.virtualMs).toBe(virtualMs);
      expect(sessionMetrics(record)).toMatchObject({ turns: 2, toolTurns: 0, toolCalls: shape.length, chainCalls: shape.length });
      expect(plan(record)).toMatchObject({ source: 'plan-turn', parsed: true, groups, optimalDepth: groups, extraGroups: 0, valid: true, violations: [], missingNodes: [], extraCalls: 0, followed: shape.length, adherence: 1, replanned: false });
      // The plan turn sees the tools but may not call them.
      expect(provider.requests[0]).toMatchObject({ options: { toolChoice: 'none' }, context: { phase: 'plan' } });
      expect(provider.requests[0]?.system.endsWith(PLAN_INSTRUCTION)).toBe(true);
      expect(provider.requests[0]?.tools.length).toBeGreaterThan(0);
    }
  });

  it('ref:sequential plans one call per group; the executor still runs independent calls together', async () => {
    const fan = await session(strategyScenario('fan-out'), 'ref:sequential', { variant: planExecute });
    expect(chainShape(fan)).toEqual(['1:1=api', '1:2=db', '1:3=cache', '1:4=queue']);
    // 4 groups for a depth-1 DAG; only `api` runs in the step its group number names: 1/4.
    expect(plan(fan)).toMatchObject({ groups: 4, optimalDepth: 1, extraGroups: 3, valid: true, followed: 1, adherence: 0.25 });
    const diamond = await session(strategyScenario('diamond'), 'ref:sequential', { variant: planExecute });
    expect(chainShape(diamond)).toEqual(['1:1=trip', '2:2=weather', '2:3=hotel', '3:4=total']);
    // groups trip 1, weather 2, hotel 3, total 4; waves 1, 2, 2, 3: trip and weather follow, 2/4.
    expect(plan(diamond)).toMatchObject({ groups: 4, optimalDepth: 3, extraGroups: 1, valid: true, followed: 2, adherence: 0.5 });
    expect(diamond.status).toBe('completed');
  });

  it('a model plan with $n references: results flow into later calls', async () => {
    const scenario = strategyScenario('chain');
    const provider = new ScriptedProvider([
      text('Plan:\n```json\n{"parallel_groups": [["find_customer(email=\\"jane@example.com\\")"], ["latest_order(customer_id=$1.customer_id)"], ["refund_policy(order_id=$2.order_id)"]]}\n```'),
      text('Yes: order O-9 is eligible.'),
    ]);
    const record = await session(scenario, provider, { variant: planExecute });
    expect(chainShape(record)).toEqual(['1:1=customer', '2:2=order', '3:3=policy']);
    expect(record.chainCalls?.map((c) => c.args)).toEqual([{ email: 'jane@example.com' }, { customer_id: 'C-17' }, { order_id: 'O-9' }]);
    expect(record.status).toBe('completed');
    expect(plan(record)).toMatchObject({ groups: 3, valid: true, adherence: 1 });
  });

  it('a failed step triggers one replan; the new plan runs; then synthesis', async () => {
    const scenario = strategyScenario('chain');
    const provider = new ScriptedProvider([
      // Guesses the customer id instead of waiting for it.
      text('{"parallel_groups": [[{"tool": "find_customer", "args": {"email": "jane@example.com"}}, {"tool": "latest_order", "args": {"customer_id": "C-99"}}]]}'),
      text('{"parallel_groups": [["latest_order(customer_id=\'C-17\')"], ["refund_policy(order_id=$1.order_id)"]]}'),
      text('Yes: order O-9 is eligible.'),
    ]);
    const record = await session(scenario, provider, { variant: planExecute });
    expect(turnShape(record).map((t) => t.phase)).toEqual(['plan', 'replan', 'synthesis']);
    expect(chainShape(record)).toEqual(['1:1=customer', '1:2=latest_order!', '2:1=order', '3:2=policy']);
    const replanRequest = provider.requests[1];
    const last = replanRequest?.messages.at(-1);
    expect(last?.role === 'user' && last.content).toContain('- call 2 latest_order: Error: unknown customer id');
    expect(record.status).toBe('completed');
    expect(sessionMetrics(record)).toMatchObject({ turns: 3, toolCalls: 4, chainCalls: 4, toolErrors: 1, unmatchedCalls: 1 });
    // The first plan is the one scored: 1 group, the guessed call matches no node, order and policy are
    // missing; both its calls were made (one failed) in wave 1, as planned: 2/2.
    expect(plan(record)).toMatchObject({ groups: 1, calls: 2, valid: true, extraCalls: 1, missingNodes: ['order', 'policy'], followed: 2, adherence: 1, replanned: true });
  });

  it('after a failed step, an unreadable second plan is not run: straight to synthesis', async () => {
    const scenario = strategyScenario('chain');
    const provider = new ScriptedProvider([
      text('{"parallel_groups": [["find_customer(email=jane@example.com)", "latest_order(customer_id=C-99)"]]}'),
      text('Sorry, let me think.'),
      text('I only found customer C-17.'),
    ]);
    const record = await session(scenario, provider, { variant: planExecute });
    expect(turnShape(record).map((t) => t.phase)).toEqual(['plan', 'replan', 'synthesis']);
    expect(chainShape(record)).toEqual(['1:1=customer', '1:2=latest_order!']);
    expect(plan(record)).toMatchObject({ parsed: true, groups: 1, replanned: true });
    expect(record.status).toBe('failed');
    expect(record.success.missingCalls).toEqual(['order', 'policy']);
  });

  it('an unreadable plan is asked for again once; twice unreadable falls back to the loop', async () => {
    const scenario = strategyScenario('fan-out');
    const provider = new ScriptedProvider([text('I will check each service.'), text('Checking now.'), text('All fine.')]);
    const record = await session(scenario, provider, { variant: planExecute });
    expect(turnShape(record).map((t) => t.phase)).toEqual(['plan', 'replan', '']);
    expect(plan(record)).toMatchObject({ parsed: false, error: 'no JSON object with "parallel_groups" found', adherence: null, replanned: true, unparsedPlans: 2 });
    expect(record.status).toBe('failed');
    // The loop's first request ends on a user message, not on the model's own text.
    expect(provider.requests[2]?.messages.at(-1)).toEqual({ role: 'user', content: CARRY_ON });
    const recovered = await session(scenario, new ScriptedProvider([text('{"groups": []}'), text('{"parallel_groups": [["service_status(service=api)", "service_status(service=db)", "service_status(service=cache)", "service_status(service=queue)"]]}'), text('db degraded, queue backlog of 1204')]), { variant: planExecute });
    expect(plan(recovered)).toMatchObject({ parsed: true, groups: 1, valid: true, unparsedPlans: 1, replanned: true });
    expect(recovered.status).toBe('completed');
  });

  it('a model that calls tools instead of planning continues as the plain loop', async () => {
    const scenario = strategyScenario('fan-out');
    const provider = new ScriptedProvider([calls(['service_status', { service: 'api' }]), text('done')]);
    const record = await session(scenario, provider, { variant: planExecute });
    expect(turnShape(record).map((t) => t.calls)).toEqual([['api'], []]);
    expect(plan(record)).toMatchObject({ parsed: false, error: 'the model called tools instead of writing a plan', unparsedPlans: 0, replanned: false });
  });
});
