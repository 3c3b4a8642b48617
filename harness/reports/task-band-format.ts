import type { VariantStats } from '../metrics/variant-stats.js';
import { formatValue } from './format.js';

/** "100.0%", or "n/a" when no measured session's task had anything to batch. */
export function taskShare(v: Pick<VariantStats, 'taskBatching'>): string {
  return Number.isNaN(v.taskBatching.share) ? 'n/a' : formatValue(v.taskBatching.share, 'share');
}

/** "100.0% of batchable calls batched (27 sessions): excellent", for titles and notes. */
export function formatTaskBatching(v: Pick<VariantStats, 'taskBatching'>): string {
  if (Number.isNaN(v.taskBatching.share)) return 'n/a (no task of these sessions has calls to batch)';
  return `${taskShare(v)} of batchable calls batched (${v.taskBatching.sessions} sessions): ${v.taskBatching.band}`;
}
