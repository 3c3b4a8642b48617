/**
 * Batching-rate bands, a label per variant. The bands come from common advice
 * on agent tool use and overlap; the rule below decides every case, in order:
 *
 *   1. excellent       rate > 70% and more than 3 tools per tool-calling turn
 *   2. poor            rate < 30%
 *   3. needs revision  30% <= rate < 40%
 *   4. below target    40% <= rate < 60%   (the advice names no band here)
 *   5. target          60% <= rate <= 80%
 *   6. above target    rate > 80% without more than 3 tools per turn
 *
 * So where "60-80% target" and "above 70% with more than 3 tools per turn
 * excellent" overlap (70-80% with > 3 tools per turn), excellent wins.
 * The rates are the means per measured session the tables print beside the
 * band (batching rate, tools per tool-calling turn). These absolute thresholds
 * are the seed's rule of thumb; task-band.ts judges batching against what each
 * task allows. A variant with no measured session is `not measured`.
 */
export type Band = 'excellent' | 'target' | 'above target' | 'below target' | 'needs revision' | 'poor' | 'no tool calls' | 'not measured';

export const BAND_RULE =
  'excellent: batching rate > 70% with > 3 tools per tool-calling turn (wins where it overlaps target); ' +
  'poor: < 30%; needs revision: 30-40%; below target: 40-60%; target: 60-80%; above target: > 80% with <= 3 tools per turn. ' +
  'Rates are the means per measured session printed beside the band (errored and skipped sessions are left out). This is the seed\'s rule of thumb in absolute terms; the task band judges batching against what each task allows.';

export function batchingBand(batchingRate: number, toolsPerTurn: number, toolCalls = 1): Band {
  if (toolCalls === 0 || Number.isNaN(batchingRate)) return 'no tool calls';
  if (batchingRate > 0.7 && toolsPerTurn > 3) return 'excellent';
  if (batchingRate < 0.3) return 'poor';
  if (batchingRate < 0.4) return 'needs revision';
  if (batchingRate < 0.6) return 'below target';
  if (batchingRate <= 0.8) return 'target';
  return 'above target';
}
