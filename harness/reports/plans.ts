import type { PlanSummary } from '../metrics/plan-metrics.js';
import { formatValue, providerLabel } from './format.js';

/** Column names and values of plans.csv, one row per provider and variant. */
export const PLAN_COLUMNS = ['provider', 'variant', 'strategy', 'sessions', 'plans_parsed', 'parse_rate', 'valid_rate', 'mean_groups', 'mean_extra_groups', 'mean_adherence'] as const;

export function planRow(p: PlanSummary): unknown[] {
  const num = (x: number): number | string => (Number.isNaN(x) ? '' : x);
  return [p.providerId, p.variantId, p.strategy, p.sessions, p.parsed, p.parseRate, num(p.validRate), num(p.meanGroups), num(p.meanExtraGroups), num(p.meanAdherence)];
}

export const PLAN_HEADER = ['provider', 'variant', 'sessions', 'plans parsed', 'valid plans', 'groups (mean)', 'groups beyond optimal', 'adherence'];

export const PLAN_NOTE =
  'A plan is valid when every group holds only calls whose dependencies lie in earlier groups; groups beyond optimal counts groups past the task\'s longest dependency chain; adherence is the share of planned calls made in their planned step. Valid plans, groups and adherence are over the plans that parsed.';

/** Display cells of one plan summary row (text, to be escaped by the writer). */
export function planCells(p: PlanSummary, kindOf: (providerId: string) => string): string[] {
  return [
    providerLabel(p.providerId, kindOf(p.providerId)),
    p.variantId,
    String(p.sessions),
    `${p.parsed} (${formatValue(p.parseRate, 'share')})`,
    formatValue(p.validRate, 'share'),
    formatValue(p.meanGroups, 'count'),
    formatValue(p.meanExtraGroups, 'count'),
    formatValue(p.meanAdherence, 'share'),
  ];
}
