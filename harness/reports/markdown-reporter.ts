import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { armKey } from '../metrics/compare-axis.js';
import type { RunAnalysis } from '../metrics/run-analysis.js';
import { METRIC_INFO } from '../metrics/stat-metrics.js';
import type { LoadedRun } from '../run/run-files.js';
import { armNoun, axisSentence, cellLabel, groupTitle, isBaselineCell } from './axis-labels.js';
import { FLAG_SENTENCE, formatDelta, formatInterval, formatValue, INTERVAL_SENTENCE, REFERENCE_SENTENCE } from './format.js';
import { md } from './markdown-escape.js';
import { PLAN_HEADER, PLAN_NOTE, planCells, planSummaries } from './plans.js';
import { analysisFor } from './report-options.js';
import type { Reporter } from './types.js';
import { tokenContrast, verdicts } from './verdict.js';

/** Escaping of user-given text, shared by every Markdown writer. */
export { md } from './markdown-escape.js';

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function renderSummaryMarkdown(run: LoadedRun, a: RunAnalysis): string {
  const m = run.manifest;
  const lines: string[] = [];
  const sessions = run.sessions.length;
  lines.push(`# batchbench run ${md(m.runId)}`, '');
  lines.push(
    `${sessions} sessions: ${m.config.providers.length} provider(s) x ${m.config.variants.length} variant(s) x ${m.config.scenarios.length} scenario(s) x ${m.config.repeats} repeat(s). ` +
      `${md(axisSentence(a)).replace(/^c/, 'C')}. Means per session; ${pct(a.confidence)} intervals from ${a.resamples} seeded bootstrap resamples (seed ${a.seed}).`,
    '',
  );
  if (a.providers.some((p) => p.kind === 'reference')) lines.push(`> ${REFERENCE_SENTENCE}`, '');
  if (a.providers.length > 0 && a.providers.every((p) => p.kind === 'reference')) lines.push('> This run has no model results: every row below is a reference policy.', '');

  lines.push('## Verdict', '');
  const vs = verdicts(a);
  if (vs.length === 0) lines.push(`${a.compareBy === 'variants' ? 'Only one variant per provider' : 'Only one model per variant'}: nothing to compare with the baseline.`);
  for (const v of vs) lines.push(`- ${md(v.sentence)}`);
  const contrast = tokenContrast(a);
  if (contrast) {
    lines.push(
      '',
      `Token growth: the sequential reference policy re-sends its history for ${formatValue(contrast.sequential, 'tokens')} input tokens per session on average; the optimal batching policy needs ${formatValue(contrast.optimal, 'tokens')} (${(contrast.saving * 100).toFixed(0)}% fewer).`,
    );
  }
  lines.push('');

  for (const g of a.groups) {
    lines.push(`## ${md(groupTitle(a, g))}`, '');
    lines.push(`| ${armNoun(a)} | sessions | success (95% CI) | turns (CI) | Δ turns | batching rate | band | input tokens | Δ input tokens | cost / session | Δ cost |`);
    lines.push('|---|---:|---|---|---|---|---|---:|---|---:|---|');
    for (const v of g.cells) {
      const c = g.comparisons.find((x) => x.armId === armKey(a.compareBy, v));
      const delta = (metric: 'turns' | 'inputTokens' | 'cost'): string => {
        if (isBaselineCell(a, v)) return 'baseline';
        if (!c) return '–';
        const x = c.metrics[metric];
        const unit = METRIC_INFO[metric].unit;
        return `${formatDelta(x.difference, unit)} (${formatInterval(x.lower, x.upper, unit, true)})${x.significant ? ' **✓**' : ''}`;
      };
      const s = v.stats;
      lines.push(
        `| ${md(cellLabel(a, v))} | ${v.sessions} | ${formatValue(v.success.estimate, 'share')} (${formatInterval(v.success.lower, v.success.upper, 'share')}) | ` +
          `${formatValue(s.turns.mean, 'count')} (${formatInterval(s.turns.lower, s.turns.upper, 'count')}) | ${delta('turns')} | ` +
          `${formatValue(s.batchingRate.mean, 'share')} | ${v.band} | ${formatValue(s.inputTokens.mean, 'tokens')}${v.tokensEstimated ? '*' : ''} | ${delta('inputTokens')} | ` +
          `${formatValue(s.cost.mean, 'usd')} | ${delta('cost')} |`,
      );
    }
    const prices = [...new Map(g.cells.flatMap((v) => (v.price ? [[v.price.model, v.price] as const] : []))).values()];
    for (const price of prices) {
      const whose = a.compareBy === 'models' ? ` for ${g.cells.filter((v) => v.price?.model === price.model).map((v) => md(cellLabel(a, v))).join(', ')}` : '';
      lines.push('', `Cost${whose} at ${md(price.model)} prices (as of ${price.price.asOf}${price.source === 'price-model' ? ', the price model for providers without a priced model' : ''}).`);
    }
    lines.push('');
  }
  const plans = planSummaries(run);
  if (plans.length > 0) {
    const kindOf = (id: string): string => run.manifest.config.providers.find((p) => p.id === id)?.kind ?? 'model';
    lines.push('## Plans', '', `| ${PLAN_HEADER.join(' | ')} |`, `|${PLAN_HEADER.map(() => ' --- ').join('|')}|`);
    for (const p of plans) lines.push(`| ${planCells(p, kindOf).map(md).join(' | ')} |`);
    lines.push('', PLAN_NOTE, '');
  }
  lines.push('## How to read this', '');
  lines.push(`- ${INTERVAL_SENTENCE(a.confidence)}`);
  lines.push(`- ${FLAG_SENTENCE(`${armNoun(a)}s`)} ✓ marks such a change.`);
  lines.push(`- Band: ${md(a.bandRule)}`);
  if (a.providers.some((p) => p.variants.some((v) => v.tokensEstimated))) lines.push('- \\* token counts estimated with the tokenizer: the provider reported none.');
  lines.push('- Full tables: variants.csv and comparison.csv; charts and per-session drill-down: report.html.', '');
  return lines.join('\n');
}

export const markdownReporter: Reporter = {
  name: 'markdown',
  write(run, dir, options) {
    const file = join(dir, 'summary.md');
    writeFileSync(file, renderSummaryMarkdown(run, analysisFor(run, options)));
    return Promise.resolve([file]);
  },
};
