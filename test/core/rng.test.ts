import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, Mulberry32Stream } from '../../harness/core/rng.js';

describe('Mulberry32Stream', () => {
  it('gives the numbers of mulberry32, in order, across batches of any size', () => {
    for (const seed of [0, 1, 42, 0xffffffff, deriveSeed(7, 'variant', 3)]) {
      const rng = mulberry32(seed);
      const expected = Array.from({ length: 1000 }, () => rng());
      const stream = new Mulberry32Stream(seed);
      const got: number[] = [];
      for (const size of [1, 7, 150, 2, 340, 500]) {
        const out = new Float64Array(size + 3).fill(-1);
        stream.fill(out, size);
        got.push(...out.subarray(0, size));
        expect([...out.subarray(size)]).toEqual([-1, -1, -1]);
      }
      expect(got).toEqual(expected);
    }
  });

  it('fills the whole array when no count is given', () => {
    const out = new Float64Array(5);
    new Mulberry32Stream(9).fill(out);
    const rng = mulberry32(9);
    expect([...out]).toEqual([rng(), rng(), rng(), rng(), rng()]);
  });
});
