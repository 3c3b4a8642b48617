import { armKey } from '../metrics/compare-axis.js';
import type { ReportModel } from '../metrics/report-model.js';
import { METRIC_INFO, WASTE_METRICS } from '../metrics/stat-metrics.js';
import { armNoun, cellLabel, groupTitle, isBaselineCell } from './axis-labels.js';
import { comparisonEstimated, estimateMark } from './estimate-mark.js';
import { directionMark, formatDelta, formatValue } from './format.js';

/** The waste metrics the report tables show, in order (definitions: docs/metrics.md, "Waste and trajectory"). */
export const WASTE_COLUMNS = WASTE_METRICS;

/** The "Waste beside batching" section of summary.md: per group, each cell's mean waste with its paired Δ against the baseline. */
export function wasteMarkdown(a: ReportModel, md: (text: string) => string): string[] {
  if (a.groups.length === 0) return [];
  const lines = [
    '## Waste beside batching',
    '',
    'Means per session. Duplicate: same tool and arguments as an earlier successful call; unexpected: matches no expected call; wasted input tokens: of turns whose every call was duplicate or unexpected; precision: distinct expected calls made / calls made; recall: required expected calls made / required (docs/metrics.md). Δ: paired difference against the baseline; a real change says ✓ better or ✗ worse.',
    '',
  ];
  for (const g of a.groups) {
    lines.push(`### ${md(groupTitle(a, g))}`, '');
    lines.push(`| ${armNoun(a)} | ${WASTE_COLUMNS.map((m) => METRIC_INFO[m].label.toLowerCase()).join(' | ')} |`);
    lines.push(`|---|${WASTE_COLUMNS.map(() => '---').join('|')}|`);
    for (const v of g.cells) {
      const c = g.comparisons.find((x) => x.armId === armKey(a.compareBy, v));
      const cells = WASTE_COLUMNS.map((m) => {
        const unit = METRIC_INFO[m].unit;
        const value = `${formatValue(v.stats[m].mean, unit)}${estimateMark(m, v.tokensEstimated)}`;
        if (isBaselineCell(a, v) || !c) return value;
        const x = c.metrics[m];
        return `${value} (Δ ${formatDelta(x.difference, unit)}${estimateMark(m, comparisonEstimated(a, c))}${x.significant ? ` **${directionMark(m, x.difference)}**` : ''})`;
      });
      lines.push(`| ${md(cellLabel(a, v))} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return lines;
}
