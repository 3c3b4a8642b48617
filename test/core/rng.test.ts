import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, mulberry32Bits, mulberry32Step } from '../../harness/core/rng.js';

describe('mulberry32 in steps', () => {
  it('a state stepped and hashed gives the numbers of mulberry32(seed), in order', () => {
    for (const seed of [0, 1, 42, 0xffffffff, -1, deriveSeed(7, 'variant', 3)]) {
      const rng = mulberry32(seed);
      let state = seed >>> 0;
      for (let i = 0; i < 2000; i++) {
        state = mulberry32Step(state);
        const bits = mulberry32Bits(state);
        expect(Number.isInteger(bits) && bits >= 0 && bits < 2 ** 32).toBe(true);
        expect(bits / 4294967296).toBe(rng());
      }
    }
  });

  it('draws what it drew before: the first numbers of seed 42', () => {
    const rng = mulberry32(42);
    expect([rng(), rng(), rng()].map((x) => x.toFixed(10))).toEqual(['0.6011037519', '0.4482905590', '0.8524657935']);
  });
});
