import type { MetricUnit } from './stat-metrics.js';
import { groupedNumber } from '../core/grouped-number.js';

/** A figure in its unit's format, for verdict and gate texts and every report. Plain strings: callers escape. */

const grouped = (x: number, digits: number): string => groupedNumber(x, digits);

export function formatValue(x: number, unit: MetricUnit): string {
  if (!Number.isFinite(x)) return '–';
  switch (unit) {
    case 'share':
      return `${(x * 100).toFixed(1)}%`;
    case 'tokens':
      return grouped(x, Math.abs(x) >= 100 ? 0 : 1);
    case 'usd':
      return `$${x.toFixed(Math.abs(x) >= 1 ? 2 : Math.abs(x) >= 0.01 ? 4 : 5)}`;
    case 'ms':
      return grouped(x, Math.abs(x) >= 100 ? 0 : 1);
    case 'count':
    case 'ratio':
      return x.toFixed(2);
  }
}

/** A signed difference: percentage points for shares, else the unit's format with a sign. */
export function formatDelta(x: number, unit: MetricUnit): string {
  if (!Number.isFinite(x)) return '–';
  const sign = x > 0 ? '+' : x < 0 ? '−' : '±';
  if (unit === 'share') return `${sign}${Math.abs(x * 100).toFixed(1)} pts`;
  return `${sign}${formatValue(Math.abs(x), unit)}`;
}
