import { UsageError } from './errors.js';

/** The `index`-th (1-based) of `count` parts of a run's matrix. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/n` (as in `--shard 2/4`), 1 <= i <= n. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 <= i <= n, e.g. 2/4 (got "${text}")`);
  }
  return { index, count };
}

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;

/**
 * The sessions of one shard: every `count`-th session of the planned matrix,
 * starting at `index - 1`. The plan order is fixed by the configuration, so
 * every machine given the same configuration picks disjoint shards that
 * together cover the matrix; dealing round-robin spreads providers, variants
 * and scenarios evenly over the shards.
 */
export function selectShard<T>(planned: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...planned];
  return planned.filter((_, i) => i % shard.count === shard.index - 1);
}
