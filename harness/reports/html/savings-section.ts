import { SAVINGS_NOTE, savingsSentence } from '../../metrics/counterfactual-run.js';
import type { ReportModel } from '../../metrics/report-model.js';
import { escapeHtml as h } from './escape.js';

/** report.html's counterfactual-savings section: one line per provider x variant with measured sessions. */
export function savingsSection(a: ReportModel): string {
  const rows = a.savings.filter((v) => v.sessions > 0);
  if (rows.length === 0) return '';
  const items = rows
    .map((v) => `<li><strong>${h(v.providerId)} / ${h(v.variantId)}</strong>${v.graph === 'inferred' ? ' <span class="muted">(dependencies inferred)</span>' : ''}: ${h(savingsSentence(v))} (${v.sessions} sessions).</li>`)
    .join('');
  return `<section id="savings"><h2>Counterfactual savings</h2><ul>${items}</ul><p class="muted">${h(SAVINGS_NOTE)}</p></section>`;
}
