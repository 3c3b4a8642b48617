import { compareVariants, type PairableSession, type VariantComparison } from './comparison.js';
import type { VariantStats } from './variant-stats.js';

/** What the comparisons compare: the variants within each provider, or the providers (models) within each variant. */
export type CompareAxis = 'variants' | 'models';

export const COMPARE_AXES: readonly CompareAxis[] = ['variants', 'models'];

/** A provider x variant cell, as far as the axis needs it. */
type Cell = Pick<VariantStats, 'providerId' | 'variantId'>;

/**
 * The axis picks two keys of a cell: the group key, held constant within a
 * group, and the arm key, what the cells of a group differ in. Comparing
 * variants: group = provider, arm = variant. Comparing models: group =
 * variant, arm = provider.
 */
export const groupKey = (axis: CompareAxis, cell: Cell): string => (axis === 'variants' ? cell.providerId : cell.variantId);
export const armKey = (axis: CompareAxis, cell: Cell): string => (axis === 'variants' ? cell.variantId : cell.providerId);

/** One cell compared with the baseline cell of its group; `armId` and `baselineId` are variant ids or provider ids by axis. */
export interface CellComparison extends Omit<VariantComparison, 'variantId'> {
  providerId: string;
  providerKind: string;
  variantId: string;
  armId: string;
}

/** Cells compared with each other: one provider's variants, or one variant's providers. */
export interface ComparisonGroup {
  /** What the group holds constant: a provider id (comparing variants) or a variant id (comparing models). */
  id: string;
  /** The group's cells in arm order (the run's variant order, or its provider order). */
  cells: VariantStats[];
  /** The arm every other arm is compared with. */
  baselineId: string;
  /** Each other arm against the baseline; empty when the group has no baseline cell. */
  comparisons: CellComparison[];
}

export interface CompareGroupsOptions {
  /** Group ids in display order (the run's providers, or its variants). */
  groupOrder: readonly string[];
  resamples: number;
  confidence: number;
  /** Two-level bootstrap over tasks (`--generalize tasks`). */
  generalize?: boolean;
  seedFor: (groupId: string, armId: string) => number;
}

const rank = (order: readonly string[], key: string): number => {
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
};

/**
 * Splits the cells into groups along the axis and compares, within each
 * group, every arm with the baseline arm: sessions paired by scenario and
 * repeat, seeded bootstrap intervals, Holm's procedure over the arms of the
 * group (see `compareVariants`).
 */
export function compareGroups(
  axis: CompareAxis,
  cells: readonly VariantStats[],
  sessionsOf: (cell: VariantStats) => readonly PairableSession[],
  baselineId: string,
  options: CompareGroupsOptions,
): ComparisonGroup[] {
  const ids = [...new Set(cells.map((c) => groupKey(axis, c)))].sort((a, b) => rank(options.groupOrder, a) - rank(options.groupOrder, b));
  return ids.map((id) => {
    const mine = cells.filter((c) => groupKey(axis, c) === id);
    const base = mine.find((c) => armKey(axis, c) === baselineId);
    const others = mine.filter((c) => c !== base);
    const raw = base
      ? compareVariants(
          { variantId: baselineId, sessions: sessionsOf(base) },
          others.map((c) => ({ variantId: armKey(axis, c), sessions: sessionsOf(c) })),
          { resamples: options.resamples, confidence: options.confidence, seedFor: (arm) => options.seedFor(id, arm), ...(options.generalize ? { generalize: true } : {}) },
        )
      : [];
    const comparisons = raw.map(({ variantId: armId, ...rest }, i): CellComparison => {
      const cell = others[i] as VariantStats;
      return { ...rest, armId, providerId: cell.providerId, providerKind: cell.providerKind, variantId: cell.variantId };
    });
    return { id, cells: mine, baselineId, comparisons };
  });
}
