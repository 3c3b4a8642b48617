import { describe, expect, it } from 'vitest';
import { sessionMetrics } from '../../../harness/metrics/session-metrics.js';
import { ScriptedProvider } from '../../../harness/providers/scripted.js';
import { CHAIN_RESULTS_HEADING } from '../../../harness/run/strategies/chain.js';
import { session } from '../../helpers.js';
import { chainShape, reference, strategyScenario, strategyVariant, SUITE, text, turnShape } from './helpers.js';

const chain = strategyVariant('chain');

describe('chain strategy', () => {
  it("the seed's PR-preparation chain: 4 tool calls, 0 tool round-trips, 1 model call, success", async () => {
    const scenario = strategyScenario('coding-pr-prep', SUITE);
    const provider = reference('ref:optimal', scenario);
    const record = await session(scenario, provider, { variant: chain });
    expect(record.status).toBe('completed');
    expect(chainShape(record)).toEqual(['1:staged_diff=diff', '2:recent_commits=log', '3:test_results=tests', '4:lint_results=lint']);
    // lint_files gets the three files of the staged diff, through changed_files_from_diff.
    expect(record.chainCalls?.[3]?.args).toEqual({ files: ['src/middleware/rate-limit.ts', 'src/server.ts', 'test/rate-limit.test.ts'] });
    expect(record.chainCalls?.every((c) => !c.isError && c.source === 'chain' && c.beforeTurn === 1 && c.depsSatisfied)).toBe(true);
    expect(turnShape(record)).toEqual([{ phase: 'synthesis', calls: [] }]);
    const m = sessionMetrics(record);
    expect(m).toMatchObject({ turns: 1, toolTurns: 0, toolCalls: 4, chainCalls: 4, parallelCalls: 0, batchingRate: 0, toolErrors: 0, success: true });
    // Steps run one after another: 120 + 110 + 7200 + 1300 ms of tools, then one 1000 ms model call.
    expect(record.virtualMs).toBe(120 + 110 + 7200 + 1300 + 1000);
    expect(record.chainCalls?.map((c) => c.startMs)).toEqual([0, 120, 230, 7430]);
    // The one model call: no tools, and every result in the user message.
    const [request] = provider.requests;
    expect(request?.tools).toEqual([]);
    expect(request?.options.toolChoice).toBe('none');
    expect(request?.context.phase).toBe('synthesis');
    expect(request?.messages).toHaveLength(1);
    const user = request?.messages[0];
    expect(user?.role === 'user' && user.content).toContain(CHAIN_RESULTS_HEADING);
    expect(user?.role === 'user' && user.content).toContain('### lint_results: lint_files({"files":["src/middleware/rate-limit.ts","src/server.ts","test/rate-limit.test.ts"]})');
    expect(record.extra?.chain).toEqual({
      name: 'pr_prep',
      steps: [
        { id: 'staged_diff', tool: 'git_diff', status: 'ok' },
        { id: 'recent_commits', tool: 'git_log', status: 'ok' },
        { id: 'test_results', tool: 'run_tests', status: 'ok' },
        { id: 'lint_results', tool: 'lint_files', status: 'ok' },
      ],
    });
  });

  it('on fan-out, chain and diamond: every expected call made by the chain, one model call', async () => {
    // [fixture, chain calls, tool ms (sequential sum), ]
    const cases: [string, string[], number][] = [
      ['fan-out', ['1:api=api', '2:db=db', '3:cache=cache', '4:queue=queue'], 100 + 400 + 100 + 100],
      ['chain', ['1:find=customer', '2:latest=order', '3:eligibility=policy'], 50 + 70 + 30],
      ['diamond', ['1:get=trip', '2:forecast=weather', '3:stay=hotel', '4:cost=total'], 100 + 200 + 300 + 10],
    ];
    for (const [name, shape, toolMs] of cases) {
      for (const policy of ['ref:optimal', 'ref:sequential']) {
        const record = await session(strategyScenario(name), policy, { variant: chain });
        expect(chainShape(record), `${name} ${policy}`).toEqual(shape);
        expect(record.status).toBe('completed');
        expect(sessionMetrics(record)).toMatchObject({ turns: 1, toolTurns: 0, toolCalls: shape.length, chainCalls: shape.length, overhead: 1 - record.optimalTurns });
        expect(record.virtualMs).toBe(toolMs + 1000);
      }
    }
  });

  it('arguments come from the task (regex) and earlier results (JSON pick)', async () => {
    const record = await session(strategyScenario('diamond'), 'ref:optimal', { variant: chain });
    expect(record.chainCalls?.map((c) => c.args)).toEqual([{ trip_id: 'T-1' }, { city: 'Lyon' }, { city: 'Lyon' }, { per_night: 95, nights: 2 }]);
  });

  it('a failed step skips the steps that need it; the model still synthesises; the task fails', async () => {
    const scenario = { ...strategyScenario('chain'), task: 'Can bob@example.com get a refund for his latest order?' };
    const record = await session(scenario, new ScriptedProvider([text('I could not find that customer.')]), { variant: chain });
    expect(chainShape(record)).toEqual(['1:find=find_customer!']);
    expect(record.extra?.chain).toEqual({
      name: 'refund',
      steps: [
        { id: 'find', tool: 'find_customer', status: 'error' },
        { id: 'latest', tool: 'latest_order', status: 'skipped', reason: 'customer_id: step "find" failed' },
        { id: 'eligibility', tool: 'refund_policy', status: 'skipped', reason: 'order_id: step "latest" was skipped' },
      ],
    });
    expect(record.status).toBe('failed');
    expect(sessionMetrics(record)).toMatchObject({ turns: 1, toolCalls: 1, chainCalls: 1, toolErrors: 1, unmatchedCalls: 1 });
  });

  it('a scenario without a chain runs the plain loop and says so', async () => {
    const record = await session(strategyScenario('fan-out-5'), 'ref:optimal', { variant: chain });
    expect(record.extra?.chain).toEqual({ fallback: 'loop', reason: 'the scenario declares no chain' });
    expect(turnShape(record).map((t) => t.calls)).toEqual([['api', 'db', 'cache', 'queue', 'search'], []]);
    expect(record.chainCalls).toBeUndefined();
    const unknown = await session(strategyScenario('chain'), 'ref:optimal', { variant: strategyVariant('chain', { chain: 'nope' }) });
    expect(unknown.extra?.chain).toEqual({ fallback: 'loop', reason: 'the scenario declares no chain "nope"' });
  });
});
