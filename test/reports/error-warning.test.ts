import { describe, expect, it } from 'vitest';
import { summaryRows } from '../../harness/reports/csv-reporter.js';
import { chartData, renderReportHtml } from '../../harness/reports/html/page.js';
import { renderSummaryMarkdown } from '../../harness/reports/markdown-reporter.js';
import { analyseRun } from '../../harness/metrics/run-analysis.js';
import { comparisonRows, variantRows } from '../../harness/reports/stats-csv-reporter.js';
import { calmRun, deadRun, stormRun } from '../metrics/errored-run.js';

const OPTIONS = { resamples: 200 };

describe('reports of a run where sessions errored or were skipped', () => {
  const run = stormRun();
  const a = analyseRun(run, OPTIONS);

  it('summary.md opens with the warning block: how many, per provider, per class with the first message escaped', () => {
    const md = renderSummaryMarkdown(a);
    const lines = md.split('\n');
    expect(lines[0]).toBe('# batchbench run storm');
    expect(lines[2]).toMatch(/^> \*\*Warning: 3 of 12 sessions errored and 1 was skipped\.\*\* .*rests on the 8 measured session\(s\)/);
    expect(md).toContain('| ref:a (reference policy) | 8 | 6 | 1 | 1 |');
    expect(md).toContain('| ref:b (reference policy) | 4 | 2 | 2 | 0 |');
    expect(md).toContain('| ProviderServerError | 1 | 500 &lt;b>storm&lt;/b> \\| upstream |');
    expect(md).toContain('| ProviderConnectionError | 2 | connect ECONNREFUSED 127.0.0.1:9 (#1) |');
    expect(md).toContain('| skipped | 1 | ref:a refused the key (401) |');
    expect(md).not.toContain('<b>storm');
    // The warning comes before any figure.
    expect(md.indexOf('Warning')).toBeLessThan(md.indexOf('## Verdict'));
  });

  it('summary.md rows show sessions, measured, errored and skipped; nothing measured shows –; pairs dropped are counted', () => {
    const md = renderSummaryMarkdown(a);
    expect(md).toContain('| variant | sessions | measured | errored | skipped | success (95% CI) | turns (CI) |');
    // ref:a together: 4 sessions, 2 measured, success 2/2, mean turns 2.50, Δ turns −2.50 over 2 pairs.
    expect(md).toMatch(/\| together \| 4 \| 2 \| 1 \| 1 \| 100\.0% \([^)]*\) \| 2\.50 \([^)]*\) \| −2\.50 \(/);
    // ref:b plain: nothing measured, so no figure at all.
    expect(md).toContain('| plain | 2 | 0 | 2 | 0 | – | – | baseline | – | – | – | baseline | – | baseline |');
    expect(md).toContain('Pairs dropped (one side or both errored or were skipped): together 2 of 4.');
    expect(md).toContain('ref:a (reference policy): together vs plain (2 pairs, 2 dropped: a side errored or was skipped): cuts round-trips by 50.0%');
    expect(md).toContain('ref:b (reference policy): together vs plain (0 pairs, 2 dropped: a side errored or was skipped): no pair measured on both sides, nothing to compare.');
    expect(md).not.toMatch(/ref:b[^\n]*✓/);
  });

  it('report.html opens with the warning block, escaped, and draws no group with nothing measured', () => {
    const html = renderReportHtml(a);
    expect(html).toContain('<section id="errors" class="warning" role="alert"><p><strong>Warning: 3 of 12 sessions errored and 1 was skipped.</strong>');
    expect(html).toContain('<td>ProviderServerError</td><td class="num">1</td><td>500 &lt;b&gt;storm&lt;/b&gt; | upstream</td>');
    expect(html).not.toContain('<b>storm');
    expect(html.indexOf('id="errors"')).toBeLessThan(html.indexOf('id="verdict"'));
    expect(html).toContain('<th>measured</th><th>errored</th><th>skipped</th>');
    expect(html).toContain('Pairs dropped (one side or both errored or were skipped): together 2 of 4.');
    // The drill-down still shows the sessions that measured nothing, saying so.
    expect(html).toContain('skipped (not measured): ref:a refused the key (401)');
    expect(html).toContain('errored (not measured): ProviderServerError: 500 &lt;b&gt;storm&lt;/b&gt; | upstream');
    const data = chartData(a) as { groups: { axis: string[]; turns: { mean: number }; tokenCurve: number[] }[] };
    expect(data.groups.map((g) => g.axis.join(' '))).toEqual(['ref:a (ref.) plain', 'ref:a (ref.) together', 'ref:b (ref.) together']);
    expect(data.groups[1]?.turns.mean).toBe(2.5);
    expect(data.groups[1]?.tokenCurve).toEqual([100, 350, 500]);
  });

  it('summary.csv, variants.csv and comparison.csv count every row and leave figures of nothing measured empty', () => {
    const t = summaryRows(a.summaries).find((r) => r['provider'] === 'ref:a' && r['variant'] === 'together');
    expect(t).toMatchObject({ sessions: 4, measured: 2, errored: 1, skipped: 1, success_rate: 1, mean_turns: 2.5, mean_input_tokens: 500 });
    const v = variantRows(a).find((r) => r['provider'] === 'ref:b' && r['variant'] === 'plain');
    expect(v).toMatchObject({ sessions: 2, measured: 0, errored: 2, skipped: 0, band: '' });
    expect(v?.['turns_mean']).toBeNaN();
    const c = comparisonRows(a).find((r) => r['provider'] === 'ref:a' && r['metric'] === 'turns');
    expect(c).toMatchObject({ pairs: 2, pairs_dropped: 2, difference: -2.5 });
  });

  it('no warning block when every session was measured', () => {
    const calm = calmRun();
    const ca = analyseRun(calm, OPTIONS);
    const md = renderSummaryMarkdown(ca);
    expect(md).not.toContain('Warning');
    expect(md).not.toContain('## Errors');
    expect(md).toContain('| together | 2 | 2 | 0 | 0 | 100.0%');
    expect(renderReportHtml(ca)).not.toContain('id="errors"');
  });

  it('a run where every session errored shows no efficiency figure: no table, verdict or chart', () => {
    const dead = deadRun();
    const da = analyseRun(dead, OPTIONS);
    const md = renderSummaryMarkdown(da);
    expect(md).toContain('> **Warning: 4 of 4 sessions errored.** No session was measured, so this run has no efficiency figures');
    expect(md).toContain('| ProviderAuthError | 4 | 401 Unauthorized: check OPENAI_API_KEY |');
    for (const absent of ['## Verdict', 'turns (CI)', 'batching rate', '0.00', '0.0%', 'cuts', 'Token growth']) expect(md).not.toContain(absent);
    const html = renderReportHtml(da);
    expect(html).toContain('Warning: 4 of 4 sessions errored.');
    for (const absent of ['id="verdict"', 'id="headline"', 'chart-turns', '<canvas', '<script', 'Drill-down', '0.00']) expect(html).not.toContain(absent);
  });
});
