import { DEFAULT_PRICES } from '../../harness/metrics/prices.js';
import { analyseRun } from '../../harness/metrics/run-analysis.js';
import type { Analysis } from './metrics.js';

/** The full report analysis: per-variant intervals and the paired comparison with the baseline (2,000 bootstrap resamples). */
export const comparisonAnalysis: Analysis = (run) => analyseRun(run, { prices: DEFAULT_PRICES });
