import { describe, expect, it } from 'vitest';
import { batchingFigures, sessionMetrics, tokenCurve } from '../../harness/metrics/session-metrics.js';
import { ScriptedProvider } from '../../harness/providers/scripted.js';
import type { ModelResponse } from '../../harness/providers/types.js';
import { fixtureScenario, session } from '../helpers.js';

describe('batching figures (hand-computed)', () => {
  it('3 tool turns of 3, 1 and 1 calls', () => {
    const f = batchingFigures([3, 1, 1, 0]);
    expect(f.toolTurns).toBe(3);
    expect(f.toolCalls).toBe(5);
    expect(f.parallelCalls).toBe(3);
    expect(f.sequentialCalls).toBe(2);
    expect(f.avgToolsPerTurn).toBeCloseTo(5 / 3, 12);
    expect(f.batchingRate).toBeCloseTo(0.6, 12);
    expect(f.efficiencyScore).toBeCloseTo(1, 12);
    expect(f.maxBatch).toBe(3);
  });

  it('two batched turns of 3 and 2 calls', () => {
    const f = batchingFigures([3, 2, 0]);
    expect(f).toMatchObject({ toolTurns: 2, toolCalls: 5, parallelCalls: 5, sequentialCalls: 0, avgToolsPerTurn: 2.5, batchingRate: 1, efficiencyScore: 2.5 });
  });

  it('no tool calls gives zero rates, not NaN', () => {
    expect(batchingFigures([0])).toMatchObject({ toolCalls: 0, avgToolsPerTurn: 0, batchingRate: 0, efficiencyScore: 0 });
  });
});

const usage = (inputTokens: number, outputTokens = 50): ModelResponse['usage'] => ({ inputTokens, outputTokens });

function callTurn(name: string, args: Record<string, unknown>, inputTokens: number, id: string): ModelResponse {
  return { parts: [{ type: 'tool-call', id, name, args, rawArgs: JSON.stringify(args) }], finishReason: 'tool-calls', usage: usage(inputTokens) };
}

describe('the seed token example', () => {
  const scenario = fixtureScenario('fan-out');
  const answer = (inputTokens: number): ModelResponse => ({
    parts: [{ type: 'text', text: 'db is degraded; queue backlog of 1,204' }],
    finishReason: 'stop',
    usage: usage(inputTokens),
  });

  it('five sequential turns cost 1,115 + 1,700 + 2,500 + 3,100 + 3,600 = 12,015 input tokens', async () => {
    const provider = new ScriptedProvider([
      callTurn('service_status', { service: 'api' }, 1115, 'c1'),
      callTurn('service_status', { service: 'db' }, 1700, 'c2'),
      callTurn('service_status', { service: 'cache' }, 2500, 'c3'),
      callTurn('service_status', { service: 'queue' }, 3100, 'c4'),
      answer(3600),
    ]);
    const record = await session(scenario, provider);
    const m = sessionMetrics(record);
    expect(m.turns).toBe(5);
    expect(m.inputTokens).toBe(12_015);
    expect(m.tokensEstimated).toBe(false);
    expect(tokenCurve(record).map((p) => p.cumulativeInputTokens)).toEqual([1115, 2815, 5315, 8415, 12_015]);
    expect(m.batchingRate).toBe(0);
  });

  it('the batched equivalent costs 1,115 + 3,600 = 4,715 input tokens', async () => {
    const ids = ['api', 'db', 'cache', 'queue'];
    const provider = new ScriptedProvider([
      {
        parts: ids.map((service, i) => ({ type: 'tool-call', id: `c${i}`, name: 'service_status', args: { service }, rawArgs: JSON.stringify({ service }) })),
        finishReason: 'tool-calls',
        usage: usage(1115),
      },
      answer(3600),
    ]);
    const record = await session(scenario, provider);
    const m = sessionMetrics(record);
    expect(m.turns).toBe(2);
    expect(m.inputTokens).toBe(4_715);
    expect(m.parallelCalls).toBe(4);
    expect(m.batchingRate).toBe(1);
    expect(m.success).toBe(true);
  });
});

describe('session metrics from a recorded session', () => {
  it('counts tool errors, unknown tools and unmatched calls, and flags estimated tokens', async () => {
    const scenario = fixtureScenario('fan-out');
    const provider = new ScriptedProvider([
      {
        parts: [
          { type: 'tool-call', id: 'a', name: 'service_status', args: { service: 'api' }, rawArgs: '{"service":"api"}' },
          { type: 'tool-call', id: 'b', name: 'restart_service', args: { service: 'db' }, rawArgs: '{"service":"db"}' },
          { type: 'tool-call', id: 'c', name: 'service_status', args: undefined, rawArgs: '{"service":' },
        ],
        finishReason: 'tool-calls',
        usage: {},
      },
      { parts: [{ type: 'text', text: 'api is fine' }], finishReason: 'stop', usage: {} },
    ]);
    const record = await session(scenario, provider);
    const m = sessionMetrics(record);
    expect(m.toolCalls).toBe(3);
    expect(m.toolErrors).toBe(2);
    expect(m.unknownToolCalls).toBe(1);
    expect(m.unmatchedCalls).toBe(2);
    expect(record.turns[0]?.calls.map((c) => c.errorKind ?? 'ok')).toEqual(['ok', 'unknown-tool', 'bad-arguments']);
    expect(m.tokensEstimated).toBe(true);
    expect(m.inputTokens).toBeGreaterThan(0);
    expect(record.status).toBe('failed');
    expect(record.success.missingCalls).toEqual(['db', 'cache', 'queue']);
    expect(m.overhead).toBe(0);
  });
});
