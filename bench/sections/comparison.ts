import type { Analysis } from './metrics.js';

/** The variant comparison timed with the metrics; none until the comparison module exists. */
export const comparisonAnalysis: Analysis | undefined = undefined;
