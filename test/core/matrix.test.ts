import { describe, expect, it } from 'vitest';
import { inShard, planOrder, plannedKeys, selectShard, sessionKey, shardSize } from '../../harness/core/matrix.js';

describe('the matrix rule (core/matrix.ts)', () => {
  it('plans by provider, then variant, then scenario, then repeat, keyed provider|variant|scenario|repeat', () => {
    const keys = plannedKeys({ providers: ['p1', 'p2'], variants: ['a', 'b'], scenarios: ['s'], repeats: 2 });
    expect(keys).toEqual(['p1|a|s|1', 'p1|a|s|2', 'p1|b|s|1', 'p1|b|s|2', 'p2|a|s|1', 'p2|a|s|2', 'p2|b|s|1', 'p2|b|s|2']);
    expect(sessionKey('ref:optimal', 'plain', 't-chain', 3)).toBe('ref:optimal|plain|t-chain|3');
    expect(planOrder({ providers: [1], variants: ['v'], scenarios: [{ id: 's' }], repeats: 1 })).toEqual([{ provider: 1, variant: 'v', scenario: { id: 's' }, repeat: 1 }]);
  });

  it('shard i/n holds plan positions i-1, i-1+n, ...; its size is the count of those positions', () => {
    expect([0, 1, 2, 3, 4, 5, 6].filter((p) => inShard(p, { index: 3, count: 4 }))).toEqual([2, 6]);
    expect(inShard(5, undefined)).toBe(true);
    // 10 sessions in 4 shards: 3, 3, 2, 2; 2 sessions in 4 shards: 1, 1, 0, 0; no shard: all.
    expect([1, 2, 3, 4].map((index) => shardSize(10, { index, count: 4 }))).toEqual([3, 3, 2, 2]);
    expect([1, 2, 3, 4].map((index) => shardSize(2, { index, count: 4 }))).toEqual([1, 1, 0, 0]);
    expect(shardSize(0, { index: 1, count: 1 })).toBe(0);
    expect(shardSize(7, undefined)).toBe(7);
    for (const sessions of [0, 1, 5, 12, 37]) {
      for (const count of [1, 2, 3, 5]) {
        for (let index = 1; index <= count; index++) {
          const plan = Array.from({ length: sessions }, (_, i) => i);
          expect(selectShard(plan, { index, count })).toHaveLength(shardSize(sessions, { index, count }));
        }
      }
    }
  });
});
