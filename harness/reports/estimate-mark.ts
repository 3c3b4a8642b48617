import type { CellComparison } from '../metrics/compare-axis.js';
import type { ReportModel } from '../metrics/report-model.js';
import type { CompareMetric } from '../metrics/stat-metrics.js';

/** Metrics computed from token counts: estimated whenever the counts are (cost included). */
export const TOKEN_METRICS: ReadonlySet<CompareMetric> = new Set<CompareMetric>(['inputTokens', 'outputTokens', 'cachedInputTokens', 'cost', 'wastedInputTokens']);

/** The estimate mark, as in the tables' footnote. */
export const ESTIMATE_MARK = '*';

/** Whether the sessions of one provider x variant cell have token counts from the tokenizer. */
export function cellEstimated(a: Pick<ReportModel, 'providers'>, providerId: string, variantId: string): boolean {
  return a.providers.find((p) => p.id === providerId)?.variants.find((v) => v.variantId === variantId)?.tokensEstimated ?? false;
}

/** Whether a comparison's token figures rest on the tokenizer on either side (the cell or its baseline). */
export function comparisonEstimated(a: Pick<ReportModel, 'providers' | 'compareBy'>, c: Pick<CellComparison, 'providerId' | 'variantId' | 'baselineId'>): boolean {
  const baseline = a.compareBy === 'variants' ? cellEstimated(a, c.providerId, c.baselineId) : cellEstimated(a, c.baselineId, c.variantId);
  return baseline || cellEstimated(a, c.providerId, c.variantId);
}

/** "*" after a figure of `metric` when it rests on estimated token counts, else "". */
export function estimateMark(metric: CompareMetric, estimated: boolean): string {
  return estimated && TOKEN_METRICS.has(metric) ? ESTIMATE_MARK : '';
}
