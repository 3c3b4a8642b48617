import { UsageError } from './errors.js';

/**
 * The run's matrix, written once: the key of a session, the order sessions are
 * planned in (provider, variant, scenario, repeat), and which of them a shard
 * holds. `run`, `run --resume` and `merge` all go through these.
 */

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

/** The key of a session: unique within a run, the same in every run of the same matrix (a resume, a shard, a merge). */
export function sessionKey(providerId: string, variantId: string, scenarioId: string, repeat: number): string {
  return `${providerId}|${variantId}|${scenarioId}|${repeat}`;
}

/** The axes of a run's matrix. */
export interface MatrixAxes<P, V, S> {
  providers: readonly P[];
  variants: readonly V[];
  scenarios: readonly S[];
  repeats: number;
}

/** One cell of the matrix. */
export interface MatrixCell<P, V, S> {
  provider: P;
  variant: V;
  scenario: S;
  /** 1-based. */
  repeat: number;
}

/** Every cell of the matrix in plan order: by provider, then variant, then scenario, then repeat. */
export function planOrder<P, V, S>(axes: MatrixAxes<P, V, S>): MatrixCell<P, V, S>[] {
  const cells: MatrixCell<P, V, S>[] = [];
  for (const provider of axes.providers) {
    for (const variant of axes.variants) {
      for (const scenario of axes.scenarios) {
        for (let repeat = 1; repeat <= axes.repeats; repeat++) cells.push({ provider, variant, scenario, repeat });
      }
    }
  }
  return cells;
}

/** Every session key of a matrix given by ids, in plan order. */
export function plannedKeys(axes: MatrixAxes<string, string, string>): string[] {
  return planOrder(axes).map((c) => sessionKey(c.provider, c.variant, c.scenario, c.repeat));
}

/**
 * Whether the session at `position` (0-based, in plan order) belongs to
 * `shard`: every `count`-th session, starting at `index - 1`. The plan order is
 * fixed by the configuration, so every machine given the same configuration
 * picks disjoint shards that together cover the matrix; dealing round-robin
 * spreads providers, variants and scenarios evenly over the shards.
 */
export function inShard(position: number, shard: Shard | undefined): boolean {
  return shard === undefined || position % shard.count === shard.index - 1;
}

/** The sessions of one shard (all of them without a shard), in plan order. */
export function selectShard<T>(planned: readonly T[], shard: Shard | undefined): T[] {
  return planned.filter((_, i) => inShard(i, shard));
}

/** How many of a matrix's `sessions` a shard holds (all of them without a shard). */
export function shardSize(sessions: number, shard: Shard | undefined): number {
  if (shard === undefined) return sessions;
  return Math.max(0, Math.floor((sessions - shard.index) / shard.count) + 1);
}
