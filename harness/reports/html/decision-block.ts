import type { ReportModel } from '../../metrics/report-model.js';
import { armNoun } from '../axis-labels.js';
import { DECISION_LABELS, DECISION_METRICS, decisions, latencyNote } from '../decision.js';
import { escapeHtml as h } from './escape.js';

/**
 * The block report.html opens with: per group (a model, or a variant), the
 * best arm against the baseline, each decision metric's paired change with its
 * interval and the word better, worse or no clear change, and a bottom line.
 * Narrow enough for 1,400 px with no scrolling.
 */
export function decisionBlock(a: ReportModel): string {
  const ds = decisions(a);
  if (ds.length === 0) return '';
  const noun = armNoun(a);
  const head = `<tr><th>${a.compareBy === 'variants' ? 'model' : 'variant'}</th><th>best ${h(noun)} vs baseline</th>${DECISION_METRICS.map((m) => `<th>${h(DECISION_LABELS[m] ?? m)}</th>`).join('')}</tr>`;
  const rows = ds.map((d) => {
    if (d.best === undefined) return `<tr><th>${h(d.title)}</th><td colspan="${DECISION_METRICS.length + 1}" class="muted">nothing to compare with ${h(d.baseline)}</td></tr>`;
    const cells = d.figures.map((f) => `<td class="num"><span class="word ${f.word === 'no clear change' ? 'same' : f.word}">${h(f.word)}</span> ${h(f.change)}<br><span class="ci">${h(f.interval)}</span></td>`);
    return `<tr><th>${h(d.title)}</th><td><strong>${h(d.best)}</strong><br><span class="ci">vs ${h(d.baseline)}, ${d.pairs} pairs</span></td>${cells.join('')}</tr>`;
  });
  return `<section id="decision"><h2>Bottom line</h2><ul class="bottom-line">${ds.map((d) => `<li>${h(d.bottomLine)}</li>`).join('')}</ul><table class="decision"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table><p class="muted">Paired change of the best ${h(noun)} against the baseline, with its interval; "better" and "worse" only when the interval excludes zero after Holm's correction. ${h(latencyNote(ds))} Every ${h(noun)} is in the headline tables below.</p></section>`;
}
