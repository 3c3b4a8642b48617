import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { armKey } from '../metrics/compare-axis.js';
import { SAVINGS_NOTE, savingsSentence } from '../metrics/counterfactual-run.js';
import type { ReportModel } from '../metrics/report-model.js';
import { METRIC_INFO } from '../metrics/stat-metrics.js';
import { armLabel, armNoun, axisSentence, cellLabel, groupTitle, isBaselineCell } from './axis-labels.js';
import { modelOfProvider, noPriceSentence } from '../metrics/prices.js';
import { comparisonEstimated, ESTIMATE_MARK, estimateMark } from './estimate-mark.js';
import { latencySentence } from './latency-note.js';
import { taskShare } from './task-band-format.js';
import { TASK_BAND_RULE } from '../metrics/task-band.js';
import { holmFamilySentence } from '../metrics/holm-scope.js';
import { DIRECTION_SENTENCE, directionMark, FLAG_SENTENCE, SCOPE_SENTENCE, formatDelta, formatInterval, formatValue, INTERVAL_SENTENCE, REFERENCE_PROMPT_SENTENCE, REFERENCE_SENTENCE, comparesVariantsUnderReference } from './format.js';
import { md } from './markdown-escape.js';
import { PLAN_HEADER, PLAN_NOTE, planCells } from './plans.js';
import { errorWarning, type ErrorWarning } from './error-warning.js';
import type { Reporter } from './types.js';
import { tokenContrast, verdicts } from './verdict.js';
import { DECISION_LABELS, DECISION_METRICS, decisions, latencyNote } from './decision.js';
import { wasteMarkdown } from './waste-markdown.js';

/** Escaping of user-given text, shared by every Markdown writer. */
export { md } from './markdown-escape.js';

/** The counterfactual-savings section: one sentence per provider x variant with measured sessions. */
function savingsMarkdown(a: ReportModel): string[] {
  const rows = a.savings.filter((v) => v.sessions > 0);
  if (rows.length === 0) return [];
  const out = ['## Counterfactual savings', ''];
  for (const v of rows) out.push(`- ${md(v.providerId)} / ${md(v.variantId)}${v.graph === 'inferred' ? ' (dependencies inferred)' : ''}: ${md(savingsSentence(v))} (${v.sessions} sessions).`);
  out.push('', md(SAVINGS_NOTE), '');
  return out;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** The warning block summary.md opens with when sessions errored or were skipped; user text escaped. */
export function warningMarkdown(w: ErrorWarning): string[] {
  const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => [
    `| ${header.map(md).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(md).join(' | ')} |`),
  ];
  return [
    `> **Warning: ${md(w.headline)}** ${md(w.detail)}`,
    '',
    '## Errors',
    '',
    ...table(w.providerHeader, w.providerRows),
    '',
    ...table(w.classHeader, w.classRows),
    '',
    'Every errored and skipped session is in sessions.jsonl and sessions.csv with its error class and message.',
    '',
  ];
}

/** "–" for a group with nothing measured, else the text. */
const figure = (measured: number, text: string): string => (measured === 0 ? '–' : text);

export function renderSummaryMarkdown(a: ReportModel): string {
  const m = a.manifest;
  const lines: string[] = [];
  const sessions = a.sessions;
  lines.push(`# batchbench run ${md(m.runId)}`, '');
  const warning = errorWarning(a.errors);
  if (warning) lines.push(...warningMarkdown(warning));
  if (warning?.nothingMeasured) return lines.join('\n');
  lines.push(
    `${sessions} sessions: ${m.config.providers.length} provider(s) x ${m.config.variants.length} variant(s) x ${m.config.scenarios.length} scenario(s) x ${m.config.repeats} repeat(s). ` +
      `${md(axisSentence(a)).replace(/^c/, 'C')}. Means per measured session; ${pct(a.confidence)} intervals from ${a.resamples} seeded bootstrap resamples (seed ${a.seed}).`,
    '',
  );
  if (a.providers.some((p) => p.kind === 'reference')) lines.push(`> ${REFERENCE_SENTENCE}`, '');
  if (comparesVariantsUnderReference(a)) lines.push(`> ${REFERENCE_PROMPT_SENTENCE}`, '');
  if (a.providers.length > 0 && a.providers.every((p) => p.kind === 'reference')) lines.push('> This run has no model results: every row below is a reference policy.', '');

  const bottom = decisions(a);
  if (bottom.length > 0) {
    // The same bottom line report.html opens with: per group, the best arm against the baseline.
    lines.push('## Bottom line', '', ...bottom.map((d) => `- **${md(d.bottomLine)}**`), '');
    lines.push(`| ${a.compareBy === 'variants' ? 'model' : 'variant'} | best vs baseline | ${DECISION_METRICS.map((m) => DECISION_LABELS[m] ?? m).join(' | ')} |`);
    lines.push(`|---|---|${DECISION_METRICS.map(() => '---').join('|')}|`);
    for (const d of bottom) {
      if (d.best === undefined) continue;
      lines.push(`| ${md(d.title)} | ${md(d.best)} vs ${md(d.baseline)} | ${d.figures.map((f) => `${f.word}: ${md(f.change)} (${md(f.interval)})`).join(' | ')} |`);
    }
    lines.push('');
    // Only a run with a real model says which latency is which; a run of reference policies reads as before.
    if (bottom.some((d) => d.figures.some((f) => f.metric === 'realMs'))) lines.push(latencyNote(bottom), '');
  }
  lines.push('## Verdict', '');
  const vs = verdicts(a);
  if (vs.length === 0) lines.push(`${a.compareBy === 'variants' ? 'Only one variant per provider' : 'Only one model per variant'}: nothing to compare with the baseline.`);
  for (const v of vs) lines.push(`- ${md(v.sentence)}`);
  const contrast = tokenContrast(a);
  if (contrast) {
    lines.push(
      '',
      `Token growth: the sequential reference policy re-sends its history for ${formatValue(contrast.sequential, 'tokens')}${contrast.estimated ? ESTIMATE_MARK : ''} input tokens per session on average; the optimal batching policy needs ${formatValue(contrast.optimal, 'tokens')}${contrast.estimated ? ESTIMATE_MARK : ''} (${(contrast.saving * 100).toFixed(0)}% fewer).`,
    );
  }
  lines.push('');

  for (const g of a.groups) {
    lines.push(`## ${md(groupTitle(a, g))}`, '');
    const latency = latencySentence(m, a, g);
    if (latency) lines.push(md(latency), '');
    lines.push(`| ${armNoun(a)} | sessions | measured | errored | skipped | success (95% CI) | turns (CI) | Δ turns | batching rate | band | input tokens | Δ input tokens | cost / session | Δ cost | batched of batchable | task band |`);
    lines.push('|---|---:|---:|---:|---:|---|---|---|---|---|---:|---|---:|---|---:|---|');
    for (const v of g.cells) {
      const c = g.comparisons.find((x) => x.armId === armKey(a.compareBy, v));
      const delta = (metric: 'turns' | 'inputTokens' | 'cost'): string => {
        if (isBaselineCell(a, v)) return 'baseline';
        if (!c || c.pairs === 0) return '–';
        const x = c.metrics[metric];
        const unit = METRIC_INFO[metric].unit;
        return `${formatDelta(x.difference, unit)}${estimateMark(metric, comparisonEstimated(a, c))} (${formatInterval(x.lower, x.upper, unit, true)})${x.significant ? ` **${directionMark(metric, x.difference)}**` : ''}`;
      };
      const s = v.stats;
      const n = v.measured;
      lines.push(
        `| ${md(cellLabel(a, v))} | ${v.sessions} | ${n} | ${v.statuses.errored} | ${v.statuses.skipped} | ` +
          `${figure(n, `${formatValue(v.success.estimate, 'share')} (${formatInterval(v.success.lower, v.success.upper, 'share')})`)} | ` +
          `${figure(n, `${formatValue(s.turns.mean, 'count')} (${formatInterval(s.turns.lower, s.turns.upper, 'count')})`)} | ${delta('turns')} | ` +
          `${figure(n, formatValue(s.batchingRate.mean, 'share'))} | ${figure(n, v.band)} | ${figure(n, `${formatValue(s.inputTokens.mean, 'tokens')}${v.tokensEstimated ? '*' : ''}`)} | ${delta('inputTokens')} | ` +
          `${figure(n, `${formatValue(s.cost.mean, 'usd')}${estimateMark('cost', v.tokensEstimated)}`)} | ${delta('cost')} | ${figure(n, taskShare(v))} | ${figure(n, v.taskBatching.band)} |`,
      );
    }
    const dropped = g.comparisons.filter((c) => c.dropped > 0);
    if (dropped.length > 0) {
      lines.push(
        '',
        `Pairs dropped (one side or both errored or were skipped): ${dropped.map((c) => `${md(armLabel(a, c.armId))} ${c.dropped} of ${c.pairs + c.dropped}`).join('; ')}. Δ columns rest on the pairs measured on both sides.`,
      );
    }
    const prices = [...new Map(g.cells.flatMap((v) => (v.price ? [[v.price.model, v.price] as const] : []))).values()];
    for (const price of prices) {
      const whose = a.compareBy === 'models' ? ` for ${g.cells.filter((v) => v.price?.model === price.model).map((v) => md(cellLabel(a, v))).join(', ')}` : '';
      lines.push('', `Cost${whose} at ${md(price.model)} prices (as of ${price.price.asOf}${price.source === 'price-model' ? ', the price model for reference policies and the scripted provider' : ''}; source: ${md(price.price.source)}).`);
    }
    const unpriced = [...new Set(g.cells.filter((v) => !v.price && v.providerKind === 'model').map((v) => modelOfProvider(v.providerId, v.providerKind) ?? v.providerId))];
    for (const model of unpriced) lines.push('', `Cost: ${md(noPriceSentence(model))}.`);
    lines.push('');
  }
  lines.push(...wasteMarkdown(a, md));
  const plans = a.plans;
  if (plans.length > 0) {
    const kindOf = (id: string): string => m.config.providers.find((p) => p.id === id)?.kind ?? 'model';
    lines.push('## Plans', '', `| ${PLAN_HEADER.join(' | ')} |`, `|${PLAN_HEADER.map(() => ' --- ').join('|')}|`);
    for (const p of plans) lines.push(`| ${planCells(p, kindOf).map(md).join(' | ')} |`);
    lines.push('', PLAN_NOTE, '');
  }
  lines.push(...savingsMarkdown(a));
  lines.push('## How to read this', '');
  lines.push(`- ${INTERVAL_SENTENCE(a.confidence)} ${SCOPE_SENTENCE(a.generalize)}`);
  lines.push(`- ${FLAG_SENTENCE(`${armNoun(a)}s`)} ${DIRECTION_SENTENCE}`);
  lines.push(`- ${holmFamilySentence(a.holmScope, `${armNoun(a)}s`, a.compareBy === 'variants' ? 'provider' : 'variant', a.holmTests)}`);
  lines.push(`- Band: ${md(a.bandRule)}`);
  lines.push(`- Task band: ${md(TASK_BAND_RULE)} The band column is the seed's rule of thumb in absolute terms; the task band is what to act on, since a task with little to batch cannot reach the absolute top band.`);
  lines.push('- sessions / measured / errored / skipped: every figure of a row, success rate included, rests on its measured sessions (completed, failed or over budget); errored and skipped sessions are counted, never averaged, and a pair where either side is not measured is dropped. – marks a figure with nothing to rest on.');
  if (a.providers.some((p) => p.variants.some((v) => v.tokensEstimated))) lines.push('- \\* token counts estimated with the tokenizer: the provider reported none. So are the costs, differences and verdicts computed from them (they carry the same mark).');
  lines.push('- Full tables: variants.csv and comparison.csv; charts and per-session drill-down: report.html.', '');
  return lines.join('\n');
}

export const markdownReporter: Reporter = {
  name: 'markdown',
  write(model, dir) {
    const file = join(dir, 'summary.md');
    writeFileSync(file, renderSummaryMarkdown(model));
    return Promise.resolve([file]);
  },
};
