import { comparisonEstimated } from '../estimate-mark.js';
import type { ComparisonGroup } from '../../metrics/compare-axis.js';
import type { ReportModel } from '../../metrics/report-model.js';
import { METRIC_INFO } from '../../metrics/stat-metrics.js';
import { armNoun, cellLabel, isBaselineCell } from '../axis-labels.js';
import { WASTE_COLUMNS } from '../waste-markdown.js';
import { escapeHtml as h } from './escape.js';
import { comparisonOf, flagCell, valueCell } from './tables.js';

/** One group's waste beside batching: duplicate, unexpected and failed calls, wasted input tokens, trajectory precision and recall, each with its paired Δ. */
export function wasteTable(g: ComparisonGroup, a: ReportModel): string {
  const head = [armNoun(a), ...WASTE_COLUMNS.flatMap((m) => [METRIC_INFO[m].label, `Δ ${METRIC_INFO[m].label}`])].map((t) => `<th>${h(t)}</th>`).join('');
  const rows = g.cells.map((v) => {
    const isBaseline = isBaselineCell(a, v);
    const c = comparisonOf(g, a, v);
    return `<tr><th>${h(cellLabel(a, v))}</th>${WASTE_COLUMNS.map((m) => valueCell(v, m) + flagCell(m, c, isBaseline, c !== undefined && comparisonEstimated(a, c))).join('')}</tr>`;
  });
  return `<details class="waste"><summary>Waste beside batching: duplicate, unexpected and failed calls, trajectory precision and recall</summary><div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}
