import { describe, expect, it } from 'vitest';
import { analyseDag, findCycle } from '../../harness/core/dag.js';
import type { ExpectedCall } from '../../harness/scenarios/schema.js';

const call = (id: string, needs: string[] = []): ExpectedCall => ({ id, tool: 't', args: {}, needs });

describe('dependency analysis', () => {
  it('a fan-out of four needs one tool turn and one answer turn', () => {
    const dag = analyseDag([call('a'), call('b'), call('c'), call('d')]);
    expect(dag.optimalTurns).toBe(2);
    expect(dag.widths).toEqual([4]);
  });

  it('a chain of four needs four tool turns and one answer turn', () => {
    const dag = analyseDag([call('a'), call('b', ['a']), call('c', ['b']), call('d', ['c'])]);
    expect(dag.optimalTurns).toBe(5);
    expect(dag.widths).toEqual([1, 1, 1, 1]);
    expect(dag.depth).toEqual({ a: 1, b: 2, c: 3, d: 4 });
  });

  it('a diamond needs three tool turns, widest in the middle', () => {
    const dag = analyseDag([call('top'), call('left', ['top']), call('right', ['top']), call('bottom', ['left', 'right'])]);
    expect(dag.optimalTurns).toBe(4);
    expect(dag.widths).toEqual([1, 2, 1]);
    expect(dag.order).toEqual(['top', 'left', 'right', 'bottom']);
  });

  it('orders by depth even when a dependent call is listed first', () => {
    const dag = analyseDag([call('late', ['early']), call('early')]);
    expect(dag.order).toEqual(['early', 'late']);
  });

  it('a task without tool calls is a single answer turn', () => {
    expect(analyseDag([]).optimalTurns).toBe(1);
  });

  it('finds a cycle and names it', () => {
    expect(findCycle([call('a', ['c']), call('b', ['a']), call('c', ['b'])])).toEqual(['a', 'c', 'b', 'a']);
    expect(findCycle([call('a'), call('b', ['a'])])).toBeUndefined();
  });
});

describe('a task graph read from a run file', () => {
  it('a cycle (a hand-edited or hostile run file) gives depths instead of recursing for ever', () => {
    const a = analyseDag([
      { id: 'a', needs: ['c'] },
      { id: 'b', needs: ['a'] },
      { id: 'c', needs: ['b'] },
      { id: 'd', needs: [] },
    ]);
    expect(a.depth).toEqual({ a: 3, b: 1, c: 2, d: 1 });
    expect(a.optimalTurns).toBe(4);
  });
});
