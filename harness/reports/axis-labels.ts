import { armKey, type ComparisonGroup } from '../metrics/compare-axis.js';
import type { ReportModel } from '../metrics/report-model.js';
import type { VariantStats } from '../metrics/variant-stats.js';
import { providerLabel } from './format.js';

/** Names of what a report compares, by axis. Plain strings: callers escape for their format. */

/** "variant" or "model": what the arms of a group are. */
export const armNoun = (a: Pick<ReportModel, 'compareBy'>): string => (a.compareBy === 'variants' ? 'variant' : 'model');

/** The baseline arm of every group: a variant id or a provider id. */
export const baselineArm = (a: Pick<ReportModel, 'compareBy' | 'baseline' | 'baselineProvider'>): string =>
  a.compareBy === 'variants' ? a.baseline : a.baselineProvider;

const kindOf = (a: ReportModel, providerId: string): string => a.providers.find((p) => p.id === providerId)?.kind ?? 'model';

/** An arm as a reader sees it: the variant id, or the provider with "(reference policy)" when it is one. */
export function armLabel(a: ReportModel, armId: string): string {
  return a.compareBy === 'variants' ? armId : providerLabel(armId, kindOf(a, armId));
}

/** The arm of a cell, labelled. */
export const cellLabel = (a: ReportModel, cell: VariantStats): string => armLabel(a, armKey(a.compareBy, cell));

export const isBaselineCell = (a: ReportModel, cell: VariantStats): boolean => armKey(a.compareBy, cell) === baselineArm(a);

/** What a group holds constant: the provider (labelled), or "variant <id>". */
export function groupTitle(a: ReportModel, g: Pick<ComparisonGroup, 'id'>): string {
  return a.compareBy === 'variants' ? providerLabel(g.id, kindOf(a, g.id)) : `variant ${g.id}`;
}

/** "comparing variants within each model; baseline variant plain" or "comparing models within each variant; baseline model openai:gpt-4o". */
export function axisSentence(a: ReportModel): string {
  return a.compareBy === 'variants'
    ? `comparing variants within each model; baseline variant ${a.baseline}`
    : `comparing models within each variant; baseline model ${armLabel(a, a.baselineProvider)}`;
}
