import type { MetricComparison } from '../metrics/comparison.js';
import { METRIC_INFO, type CompareMetric } from '../metrics/stat-metrics.js';
import type { CompareResult, GroupComparison, RunComparison } from './compare-runs.js';
import { DIRECTION_SENTENCE, directionMark, REFERENCE_PROMPT_SENTENCE, REFERENCE_SENTENCE } from '../reports/format.js';
import { errorGateSentence, type ErrorGateResult } from './error-gate.js';
import { changeTone, formatChange, formatInterval, formatP, formatRelative, formatValue, gateSentence, gateTitle, groupLabel, SHOWN_METRICS } from './format.js';
import { describeGate } from './gates.js';

/** A Markdown table cell: no HTML (`<` and `&` escaped, so `->` stays readable), no table breaks. */
const cell = (s: string): string =>
  s.replaceAll('\\', '\\\\').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('|', '\\|').replaceAll('\n', ' ');
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const tableLines = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => [row(header), row(header.map(() => '---')), ...rows.map(row)];

/** Headline of a comparison: PASS, REGRESSION or INCOMPARABLE with counts. */
export function verdictLine(result: CompareResult): string {
  if (!result.comparable) return `INCOMPARABLE: ${result.reasons.length} reason(s) the runs cannot be compared`;
  const gates = countGates(result);
  return result.regressions > 0 ? `REGRESSION: ${result.regressions} of ${gates} gate(s) failed` : `PASS: all ${gates} gate(s) passed`;
}

/** Every gate decided: the error-rate gate and the metric gates of every group. */
export const countGates = (result: RunComparison): number => result.groups.reduce((n, g) => n + 1 + g.gates.length, 0);

/** "error_rate may not rise" and the like. */
export const errorGateTitle = (r: ErrorGateResult): string => describeGate(r.gate);

/** "+44.4 pts (0 -> 12 of 27)": the change of the error rate with the counts behind it. */
export const errorGateChange = (r: ErrorGateResult): string =>
  `${formatChange('success', r.rise)} (${r.baseline.errored + r.baseline.skipped} -> ${r.candidate.errored + r.candidate.skipped} of ${r.candidate.sessions})`;

/** "9 pairs measured on both sides, 18 dropped (...)"; the sessions of each side with their errors. */
export function groupCounts(g: GroupComparison): string {
  const side = (name: string, e: GroupComparison['baselineErrors']): string => `${name} ${e.sessions} sessions (${e.sessions - e.errored - e.skipped} measured, ${e.errored} errored, ${e.skipped} skipped)`;
  return (
    `${g.pairs} session pairs measured on both sides (same scenario and repeat)` +
    `${g.dropped > 0 ? `, ${g.dropped} pair(s) dropped because one side or both errored or were skipped` : ''}` +
    `${g.unpaired > 0 ? `, ${g.unpaired} unpaired left out` : ''}; ${side('baseline', g.baselineErrors)}, ${side('candidate', g.candidateErrors)}`
  );
}

function intro(result: CompareResult): string[] {
  const b = result.baseline;
  const c = result.candidate;
  const lines = [`Baseline \`${b.runId}\` (started ${b.startedAt}) against candidate \`${c.runId}\` (started ${c.startedAt}).`];
  if (result.comparable && result.groups.some((g) => g.reference)) lines.push('', `> ${REFERENCE_SENTENCE}`, '', `> ${REFERENCE_PROMPT_SENTENCE}`);
  return lines;
}

/** " **✓ better**" or " **✗ worse**" after a real change (Holm-flagged), else nothing. */
function toneWords(metric: CompareMetric, c: MetricComparison): string {
  const tone = changeTone(metric, c);
  return tone === 'same' ? '' : ` **${directionMark(metric, c.difference)}**`;
}

function groupSection(result: RunComparison, g: GroupComparison): string[] {
  const level = `${Math.round(result.confidence * 100)}% CI`;
  const out = [`### ${cell(groupLabel(g))}`, ''];
  out.push(`${cell(groupCounts(g))}${g.variantChanged ? '; the prompt file of this variant changed' : ''}.`, '');
  out.push(
    ...tableLines(
      ['metric', 'baseline', 'candidate', 'change', level, 'p'],
      SHOWN_METRICS.map((m) => {
        const c = g.metrics[m];
        return [METRIC_INFO[m].label, formatValue(m, c.baselineMean), formatValue(m, c.variantMean), `${formatChange(m, c.difference)} ${formatRelative(c)}${toneWords(m, c)}`.trim(), formatInterval(m, c), formatP(c.p)];
      }),
    ),
  );
  if (g.scenarios.length > 0) {
    const drill: typeof SHOWN_METRICS = ['success', 'turns', 'batchingRate', 'inputTokens'];
    out.push('', '<details><summary>Per scenario (change, candidate minus baseline)</summary>', '');
    out.push(
      ...tableLines(
        ['scenario', 'pairs', ...drill.map((m) => METRIC_INFO[m].label)],
        g.scenarios.map((s) => [s.scenarioId, String(s.pairs), ...drill.map((m) => formatChange(m, s.metrics[m].difference))]),
      ),
    );
    out.push('', '</details>');
  }
  out.push('');
  return out;
}

/** `compare.md`: the verdict, the gates, and per group every metric's change; short enough for a pull-request comment. */
export function compareMarkdown(result: CompareResult): string {
  const out = [`## batchbench compare: ${verdictLine(result)}`, '', ...intro(result), ''];
  if (!result.comparable) {
    out.push('The runs cannot be compared:', '', ...result.reasons.map((r) => `- ${cell(r)}`), '');
  } else {
    out.push(
      `Errored and skipped sessions are counted, never averaged: the error_rate gate compares their share, and every other figure rests on the pairs measured on both sides.`,
      `Sessions are paired by scenario and repeat; intervals are ${Math.round(result.confidence * 100)}% paired bootstrap intervals (${result.resamples} resamples, seed ${result.seed}; the gates' p-values use ${result.gateResamples}).`,
      `A gate fails when the mean change is beyond its limit in the bad direction **and** its Holm-adjusted p-value over all ${result.groups.reduce((n, g) => n + g.gates.length, 0)} gate tests is below ${formatP(1 - result.confidence)}; the error_rate gate fails when the candidate's share of errored or skipped sessions rose beyond its limit.`,
      `A change whose interval excludes zero after Holm's correction is marked in the tables below: ${DIRECTION_SENTENCE}`,
      '',
      '### Gates',
      '',
      ...tableLines(
        ['group', 'gate', 'change', `${Math.round(result.confidence * 100)}% CI`, 'adjusted p', 'result'],
        [
          ...result.groups.map((g) => [
            groupLabel(g),
            errorGateTitle(g.errorGate),
            errorGateChange(g.errorGate),
            '– (a count)',
            '–',
            g.errorGate.status === 'fail' ? '**FAIL**' : 'pass',
          ]),
          ...result.groups.flatMap((g) =>
          g.gates.map((r) => [
            groupLabel(g),
            gateTitle(r),
            formatChange(r.gate.metric, r.comparison.difference),
            formatInterval(r.gate.metric, r.comparison),
            formatP(r.pAdjusted),
            r.status === 'fail' ? `**FAIL** ${directionMark(r.gate.metric, r.comparison.difference)}` : r.status === 'skipped' ? 'skipped' : 'pass',
          ]),
          ),
        ],
      ),
      '',
    );
    const failed = failedSentences(result).map((f) => `- ${cell(f)}`);
    if (failed.length > 0) out.push('Failed gates:', '', ...failed, '');
    for (const g of result.groups) out.push(...groupSection(result, g));
  }
  if (result.notes.length > 0) out.push('### Notes', '', ...result.notes.map((n) => `- ${cell(n)}`), '');
  return out.join('\n');
}

/** "<group>: <sentence>" of every failed gate, error-rate gates first: errors explain every other change. */
export function failedSentences(result: RunComparison): string[] {
  return [
    ...result.groups.filter((g) => g.errorGate.status === 'fail').map((g) => `${groupLabel(g)}: ${errorGateSentence(g.errorGate)}`),
    ...result.groups.flatMap((g) => g.gates.filter((r) => r.status === 'fail').map((r) => `${groupLabel(g)}: ${gateSentence(r, result.confidence)}`)),
  ];
}

/**
 * A few lines for the terminal: the verdict, the failed error-rate gates
 * (errors are the first cause to look at), then every gate's sentence per
 * group, the error-rate gate first.
 */
export function compareText(result: CompareResult): string[] {
  const out = [verdictLine(result)];
  if (!result.comparable) return [...out, ...result.reasons.map((r) => `  ${r}`)];
  for (const g of result.groups) if (g.errorGate.status === 'fail') out.push(`  FAIL  ${groupLabel(g)}: ${errorGateSentence(g.errorGate)}`);
  for (const g of result.groups) {
    out.push(`${groupLabel(g)} (${g.pairs} pairs${g.dropped > 0 ? `, ${g.dropped} dropped: a side errored or was skipped` : ''})`);
    out.push(`  ${g.errorGate.status === 'fail' ? 'FAIL' : 'pass'}  ${errorGateSentence(g.errorGate)}`);
    for (const r of g.gates) out.push(`  ${r.status === 'fail' ? 'FAIL' : r.status === 'skipped' ? 'skip' : 'pass'}  ${gateSentence(r, result.confidence)}`);
  }
  return out;
}
