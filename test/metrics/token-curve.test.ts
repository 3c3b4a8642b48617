import { describe, expect, it } from 'vitest';
import { meanCumulativeInput } from '../../harness/metrics/token-curve.js';
import { turn } from './synthetic-sessions.js';

describe('meanCumulativeInput', () => {
  it('carries a finished session at its total', () => {
    // The seed's sequential example (5 turns) against a 2-turn batched session.
    const sequential = { turns: [1115, 1700, 2500, 3100, 3600].map((t, i) => turn(i + 1, [], t)) };
    const batched = { turns: [turn(1, [], 1115), turn(2, [], 3600)] };
    expect(meanCumulativeInput([sequential])).toEqual([1115, 2815, 5315, 8415, 12015]);
    // k=1: (1115+1115)/2; k=2: (2815+4715)/2; then the batched one stays at 4715.
    expect(meanCumulativeInput([sequential, batched])).toEqual([1115, 3765, 5015, 6565, 8365]);
    expect(meanCumulativeInput([])).toEqual([]);
  });
});
