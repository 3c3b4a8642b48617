import { describe, expect, it } from 'vitest';
import { idealWallMs } from '../../bench/sections/latency-bound.js';

describe('the latency-bound bench ideal', () => {
  it('list-schedules sessions in plan order on the free slot', () => {
    // slot 0 takes the 5-turn session (1,000 ms), slot 1 the 2-turn one (400 ms) and then the 3-turn one (1,000 ms)
    expect(idealWallMs([5, 2, 3], 200, 2)).toBe(1000);
    expect(idealWallMs([1, 1, 1, 1], 100, 4)).toBe(100);
    expect(idealWallMs([2, 2, 2], 100, 1)).toBe(600);
  });

  it("with the first-answer gate, the other slots open after the first session's first call", () => {
    // slot 1 opens at 200 ms: 200 + 400 = 600, then the 3-turn session on it ends at 1,200 ms
    expect(idealWallMs([5, 2, 3], 200, 2, { firstAnswerGate: true })).toBe(1200);
    expect(idealWallMs([1, 1, 1, 1], 100, 4, { firstAnswerGate: true })).toBe(200);
    // one slot: the gate changes nothing
    expect(idealWallMs([2, 2, 2], 100, 1, { firstAnswerGate: true })).toBe(600);
  });

  it('is zero for no session', () => {
    expect(idealWallMs([], 200, 16)).toBe(0);
    expect(idealWallMs([], 200, 16, { firstAnswerGate: true })).toBe(0);
  });
});
