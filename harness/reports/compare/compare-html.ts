import { METRIC_INFO } from '../../metrics/stat-metrics.js';
import type { CompareResult, GroupComparison, RunComparison } from '../../metrics/compare-runs.js';
import type { GateResult } from '../../metrics/evaluate-gates.js';
import { REFERENCE_SENTENCE } from '../format.js';
import { changeTone, formatChange, formatInterval, formatP, formatRelative, formatValue, gateTitle, groupLabel, rowLabel, SHOWN_METRICS, shownMetricsOf } from './format.js';
import { htmlEscape, htmlPage, htmlTable } from '../history/history-html.js';
import { errorGateChange, errorGateTitle, failedSentences, groupCounts, verdictLine } from './compare-markdown.js';
import { errorGateSentence } from '../../metrics/error-gate.js';

/**
 * A gate's interval on an axis: zero, the allowed limit in the bad direction,
 * the paired confidence interval of the change and its mean. Inline SVG.
 */
function gateSvg(r: GateResult): string {
  const c = r.comparison;
  if (!Number.isFinite(c.lower) || !Number.isFinite(c.upper)) return '';
  const limit = r.gate.bad === 'drop' ? -r.allowed : r.allowed;
  const lo = Math.min(c.lower, 0, limit, c.difference);
  const hi = Math.max(c.upper, 0, limit, c.difference);
  const span = hi - lo || 1;
  const w = 220;
  const x = (v: number): number => 10 + ((v - lo) / span) * (w - 20);
  const colour = r.status === 'fail' ? 'var(--bad)' : 'var(--muted)';
  return `<svg width="${w}" height="26" viewBox="0 0 ${w} 26" role="img" aria-label="${htmlEscape(`interval ${formatInterval(r.gate.metric, c)}, limit ${formatChange(r.gate.metric, limit)}`)}">
<line class="axis" x1="${x(0)}" y1="2" x2="${x(0)}" y2="24" stroke-width="1"/>
<line x1="${x(limit)}" y1="2" x2="${x(limit)}" y2="24" stroke="var(--hot)" stroke-width="1.5" stroke-dasharray="3 2"/>
<line x1="${x(c.lower)}" y1="13" x2="${x(c.upper)}" y2="13" stroke="${colour}" stroke-width="3"/>
<circle cx="${x(c.difference)}" cy="13" r="4" fill="${colour}"/>
</svg>`;
}

function gatesTable(result: RunComparison): string {
  const level = `${Math.round(result.confidence * 100)}% CI`;
  return htmlTable(
    ['group', 'gate', 'baseline', 'candidate', 'change', level, 'interval (dashed: limit)', 'adjusted p', 'result'],
    [
      // The error-rate gates first: errors explain every other change.
      ...result.groups.map((g) => {
        const r = g.errorGate;
        const share = (e: typeof r.baseline): string => `${formatValue('success', e.rate)} (${e.errored + e.skipped} of ${e.sessions})`;
        return [
          { text: groupLabel(g) },
          { text: errorGateTitle(r) },
          { text: share(r.baseline), cls: 'num' },
          { text: share(r.candidate), cls: 'num' },
          { text: errorGateChange(r), cls: 'num' },
          { text: '– (a count)', cls: 'num' },
          { text: errorGateSentence(r) },
          { text: '–', cls: 'num' },
          { text: r.status === 'fail' ? 'FAIL' : r.status, cls: `status ${r.status}` },
        ];
      }),
      ...result.groups.flatMap((g) =>
      g.gates.map((r) => {
        const m = r.gate.metric;
        const c = r.comparison;
        return [
          { text: groupLabel(g) },
          { text: gateTitle(r) },
          { text: formatValue(m, c.baselineMean), cls: 'num' },
          { text: formatValue(m, c.variantMean), cls: 'num' },
          { text: formatChange(m, c.difference), cls: 'num' },
          { text: formatInterval(m, c), cls: 'num' },
          { text: '', html: gateSvg(r) },
          { text: formatP(r.pAdjusted), cls: 'num' },
          { text: r.status === 'fail' ? 'FAIL' : r.status, cls: `status ${r.status}` },
        ];
      }),
      ),
    ],
  );
}

function groupSection(result: RunComparison, g: GroupComparison): string {
  const level = `${Math.round(result.confidence * 100)}% CI`;
  const metrics = htmlTable(
    ['metric', 'baseline', 'candidate', 'change', 'relative', level, 'p'],
    shownMetricsOf(g).map((m) => {
      const c = g.metrics[m];
      const tone = changeTone(m, c);
      return [
        { text: rowLabel(m, g) },
        { text: formatValue(m, c.baselineMean), cls: 'num' },
        { text: formatValue(m, c.variantMean), cls: 'num' },
        { text: formatChange(m, c.difference), cls: `num ${tone}` },
        { text: formatRelative(c), cls: 'num' },
        { text: formatInterval(m, c), cls: 'num' },
        { text: formatP(c.p), cls: 'num' },
      ];
    }),
  );
  const drill: typeof SHOWN_METRICS = ['success', 'turns', 'overhead', 'batchingRate', 'inputTokens'];
  const scenarios = htmlTable(
    ['scenario', 'pairs', ...drill.map((m) => `${METRIC_INFO[m].label} change`)],
    g.scenarios.map((s) => [
      { text: s.scenarioId },
      { text: String(s.pairs), cls: 'num' },
      ...drill.map((m) => ({ text: '', html: `${htmlEscape(formatChange(m, s.metrics[m].difference))}<div class="ci">${htmlEscape(formatInterval(m, s.metrics[m]))}</div>`, cls: `num ${changeTone(m, s.metrics[m])}` })),
    ]),
  );
  const about = `${groupCounts(g)}${g.variantChanged ? '; the prompt file of this variant changed' : ''}.`;
  return `<h3>${htmlEscape(groupLabel(g))}</h3>
<p class="muted">${htmlEscape(about)} Green and red mark changes whose interval excludes zero; the small print under a change is its interval.</p>
${metrics}
<details><summary>Per scenario (repeats paired)</summary>
${scenarios}
</details>`;
}

/** `compare.html`: the comparison as one self-contained page. */
export function compareHtml(result: CompareResult): string {
  const verdict = verdictLine(result);
  const cls = !result.comparable ? 'incomparable' : result.regressions > 0 ? 'fail' : 'pass';
  const parts = [
    `<h1>batchbench compare <span class="badge ${cls}">${htmlEscape(verdict.split(':')[0] ?? verdict)}</span></h1>`,
    `<p>${htmlEscape(verdict)}. Baseline <code>${htmlEscape(result.baseline.runId)}</code> (started ${htmlEscape(result.baseline.startedAt)}) against candidate <code>${htmlEscape(result.candidate.runId)}</code> (started ${htmlEscape(result.candidate.startedAt)}).</p>`,
  ];
  if (!result.comparable) {
    parts.push('<h2>The runs cannot be compared</h2>', `<ul>${result.reasons.map((r) => `<li>${htmlEscape(r)}</li>`).join('')}</ul>`);
  } else {
    const tests = result.groups.reduce((n, g) => n + g.gates.length, 0);
    if (result.groups.some((g) => g.reference)) parts.push(`<p class="banner"><span class="ref">Reference policies.</span> ${htmlEscape(REFERENCE_SENTENCE)}</p>`);
    parts.push(
      `<p class="muted">Sessions are paired by scenario and repeat; intervals are ${Math.round(result.confidence * 100)}% paired bootstrap intervals (${result.resamples} resamples, seed ${result.seed}; the gates' p-values use ${result.gateResamples}). A gate fails when the mean change is beyond its limit in the bad direction and its p-value, Holm-adjusted over all ${tests} gate tests, is below ${formatP(1 - result.confidence)}. Errored and skipped sessions are counted, never averaged: the error_rate gate compares their share and fails when the candidate's rose beyond its limit; every other figure rests on the pairs measured on both sides.</p>`,
      '<h2>Gates</h2>',
      gatesTable(result),
    );
    const failed = failedSentences(result).map((f) => `<li class="fail">${htmlEscape(f)}</li>`);
    if (failed.length > 0) parts.push(`<ul>${failed.join('\n')}</ul>`);
    parts.push('<h2>Metrics per provider and variant</h2>', ...result.groups.map((g) => groupSection(result, g)));
  }
  if (result.notes.length > 0) parts.push('<h2>Notes</h2>', `<ul>${result.notes.map((n) => `<li>${htmlEscape(n)}</li>`).join('')}</ul>`);
  return htmlPage(`batchbench compare: ${verdict}`, parts.join('\n'));
}
