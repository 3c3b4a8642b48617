import { describe, expect, it } from 'vitest';
import { dataValues, mentions } from '../../../harness/run/traces/infer-dependencies.js';
import { counterfactual } from '../../../harness/metrics/counterfactual.js';
import type { TurnRecord } from '../../../harness/core/run-file/records.js';

type Turn = Pick<TurnRecord, 'index' | 'calls' | 'usage' | 'virtual'>;

/** A turn with calls to `nodes` (null: a call matching no node; `!x`: a failed call of x), `input` tokens and `modelMs`. */
function turn(index: number, nodes: (string | null)[], input: number, modelMs = 1000, cached = 0): Turn {
  return {
    index,
    calls: nodes.map((n, j) => ({
      id: `${index}-${j}`,
      name: 't',
      args: {},
      rawArgs: '{}',
      node: n === null ? null : n.replace(/^!/, ''),
      depsSatisfied: true,
      result: '',
      isError: n?.startsWith('!') ?? false,
      latencyMs: 0,
    })),
    usage: { inputTokens: input, outputTokens: 5, cachedInputTokens: cached, estimated: false },
    virtual: { startMs: 0, modelMs, toolsMs: 0, endMs: 0 },
  };
}

describe('counterfactual savings on a declared graph', () => {
  const fanOut = [
    { id: 'a', needs: [] },
    { id: 'b', needs: [] },
    { id: 'c', needs: [] },
    { id: 'd', needs: ['a', 'b', 'c'] },
  ];

  it('a sequential fan-out: b and c join turn 1; 2 turns, 300 + 400 input tokens and 2000 ms saved', () => {
    const turns = [turn(1, ['a'], 200), turn(2, ['b'], 300, 1000, 100), turn(3, ['c'], 400), turn(4, ['d'], 500), turn(5, [], 600)];
    expect(counterfactual(turns, fanOut)).toEqual({
      actualTurns: 5,
      turns: 3,
      savedTurns: 2,
      savedInputTokens: 700,
      savedCachedInputTokens: 100,
      savedLatencyMs: 2000,
      keptTurns: [1, 4, 5],
    });
  });

  it('the optimal session saves nothing', () => {
    const turns = [turn(1, ['a', 'b', 'c'], 200), turn(2, ['d'], 500), turn(3, [], 600)];
    expect(counterfactual(turns, fanOut)).toMatchObject({ turns: 3, savedTurns: 0, savedInputTokens: 0, keptTurns: [1, 2, 3] });
  });

  it('a call matching no node keeps its turn; a failed need delays its retry and its dependants', () => {
    // a fails in turn 1, is retried in turn 2 (level 2); b (level 1) comes late in turn 3; a stray call in turn 4; d needs a, b, c -> level 3.
    const turns = [turn(1, ['!a', 'c'], 100), turn(2, ['a'], 200), turn(3, ['b'], 300), turn(4, [null], 400), turn(5, ['d'], 500), turn(6, [], 600)];
    expect(counterfactual(turns, fanOut)).toMatchObject({ turns: 5, savedTurns: 1, savedInputTokens: 300, keptTurns: [1, 2, 4, 5, 6] });
  });
});

describe('data-flow values', () => {
  it('keeps strings of 3+ characters and numbers that are not one-digit integers', () => {
    expect(dataValues({ a: 'ab', b: 'abc', c: 7, d: 42, e: 0.5, f: [true, null, 'Lisbon'], g: { h: -12 }, i: '[redacted]' })).toEqual(['abc', 42, 0.5, 'Lisbon', -12]);
  });

  it('finds a number only as a whole number, a string raw or JSON-escaped', () => {
    expect(mentions('{"id": 4711}', 4711)).toBe(true);
    expect(mentions('{"id": 47110}', 4711)).toBe(false);
    expect(mentions('{"id": 4711.5}', 4711)).toBe(false);
    expect(mentions('{"q": "say \\"hi\\" there"}', 'say "hi"')).toBe(true);
    expect(mentions('Lisbon, PT', 'lisbon')).toBe(false);
  });
});
