import type { MetricComparison } from '../../metrics/comparison.js';
import { METRIC_INFO, type CompareMetric } from '../../metrics/stat-metrics.js';
import type { CompareResult, GroupComparison, RunComparison } from '../../metrics/compare-runs.js';
import { DIRECTION_SENTENCE, directionMark, REFERENCE_PROMPT_SENTENCE, REFERENCE_SENTENCE } from '../format.js';
import { errorGateSentence, type ErrorGateResult } from '../../metrics/error-gate.js';
import { md, mdCode } from '../markdown-escape.js';
import { changeTone, formatChange, formatInterval, formatP, formatRelative, formatValue, gateSentence, gateTitle, groupLabel, rowLabel, SHOWN_METRICS, shownMetricsOf } from './format.js';
import { describeGate } from '../../metrics/gates.js';
import { escapeHtml } from '../html/escape.js';

const row = (cells: readonly string[]): string => `| ${cells.map(md).join(' | ')} |`;
/** User text inside the HTML of a fold: escaped as HTML, with brackets as entities so no renderer makes a link of it. */
const htmlText = (s: string): string => escapeHtml(s).replaceAll('[', '&#91;').replaceAll(']', '&#93;');
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
  const lines = [`Baseline ${mdCode(b.runId)} (started ${md(b.startedAt)}) against candidate ${mdCode(c.runId)} (started ${md(c.startedAt)}).`];
  if (result.comparable && result.groups.some((g) => g.reference)) lines.push('', `> ${REFERENCE_SENTENCE}`, '', `> ${REFERENCE_PROMPT_SENTENCE}`);
  return lines;
}

/** GitHub refuses comment bodies over 65,536 characters; compare.md stays under this, with room to spare. */
export const COMPARE_MARKDOWN_LIMIT = 60_000;

/** Scenarios listed per group in the drill-down: the ones that changed, at most this many. */
const DRILL_ROWS = 10;

const gateHeader = (result: RunComparison): string[] => ['group', 'gate', 'change', `${Math.round(result.confidence * 100)}% CI`, 'adjusted p', 'result'];
const status = (s: 'pass' | 'fail' | 'skipped'): string => (s === 'fail' ? '**FAIL**' : s === 'skipped' ? 'skipped' : 'pass');
const errorGateRow = (g: GroupComparison): string[] => [groupLabel(g), errorGateTitle(g.errorGate), errorGateChange(g.errorGate), '– (a count)', '–', status(g.errorGate.status)];
const metricGateRow = (g: GroupComparison, r: GroupComparison['gates'][number]): string[] => [
  groupLabel(g),
  gateTitle(r),
  formatChange(r.gate.metric, r.comparison.difference),
  formatInterval(r.gate.metric, r.comparison),
  formatP(r.pAdjusted),
  r.status === 'fail' ? `**FAIL** ${directionMark(r.gate.metric, r.comparison.difference)}` : status(r.status),
];

/** Every gate row, error-rate gates first; `keep` picks rows by status. */
function gateRows(result: RunComparison, keep: (s: 'pass' | 'fail' | 'skipped') => boolean): string[][] {
  return [
    ...result.groups.filter((g) => keep(g.errorGate.status)).map(errorGateRow),
    ...result.groups.flatMap((g) => g.gates.filter((r) => keep(r.status)).map((r) => metricGateRow(g, r))),
  ];
}

/** The failed gates: a table and, below it, each one's sentence with the numbers. Empty when none failed. */
function failedSection(result: RunComparison): string[] {
  const rows = gateRows(result, (s) => s === 'fail');
  if (rows.length === 0) return [];
  return [
    `### Failed gates (${rows.length})`,
    '',
    ...tableLines(gateHeader(result), rows),
    '',
    '<details open><summary>The numbers behind each failure</summary>',
    '',
    ...failedSentences(result).map((f) => `- ${md(f)}`),
    '',
    '</details>',
    '',
  ];
}

/**
 * The gates that did not fail, one row per gate: in how many groups it passed
 * or was skipped, and the group where the change went furthest the bad way,
 * with the limit there.
 */
function passingSummary(result: RunComparison): string[] {
  const first = result.groups[0];
  if (first === undefined) return [];
  const rows: string[][] = [];
  const errors = result.groups.map((g) => g.errorGate).filter((r) => r.status === 'pass');
  const worstError = result.groups.filter((g) => g.errorGate.status === 'pass').reduce<GroupComparison | undefined>((w, g) => (w === undefined || g.errorGate.rise > w.errorGate.rise ? g : w), undefined);
  if (worstError !== undefined) {
    const moved = worstError.errorGate.rise > 0;
    rows.push([
      errorGateTitle(worstError.errorGate),
      `${errors.length} of ${result.groups.length}`,
      '0',
      moved ? `${errorGateChange(worstError.errorGate)} in ${groupLabel(worstError)}` : NONE_WORSE,
      moved ? formatChange('success', worstError.errorGate.allowed) : '–',
    ]);
  }
  for (const [i, gate] of first.gates.entries()) {
    const results = result.groups.map((g) => ({ g, r: g.gates[i] })).filter((x): x is { g: GroupComparison; r: NonNullable<typeof x.r> } => x.r !== undefined);
    const passed = results.filter((x) => x.r.status === 'pass');
    const skipped = results.filter((x) => x.r.status === 'skipped').length;
    if (passed.length === 0 && skipped === 0) continue;
    const worst = passed.reduce<(typeof passed)[number] | undefined>((w, x) => (w === undefined || x.r.worsening > w.r.worsening ? x : w), undefined);
    const m = gate.gate.metric;
    const moved = worst !== undefined && worst.r.worsening > 0;
    rows.push([
      gateTitle(gate),
      `${passed.length} of ${results.length}`,
      String(skipped),
      moved ? `${formatChange(m, worst.r.comparison.difference)} in ${groupLabel(worst.g)}` : NONE_WORSE,
      moved ? formatChange(m, worst.r.gate.bad === 'drop' ? -worst.r.allowed : worst.r.allowed) : '–',
    ]);
  }
  const total = countGates(result) - result.regressions;
  return [`### Gates that passed (${total})`, '', ...tableLines(['gate', 'groups passed', 'skipped', 'largest change the bad way', 'limit there'], rows), ''];
}

function everyGate(result: RunComparison): string[] {
  return [`<details><summary>Every gate (${countGates(result)})</summary>`, '', ...tableLines(gateHeader(result), gateRows(result, () => true)), '', '</details>', ''];
}

function method(result: RunComparison): string[] {
  return [
    '<details><summary>How the gates decide</summary>',
    '',
    `Errored and skipped sessions are counted, never averaged: the error_rate gate compares their share, and every other figure rests on the pairs measured on both sides.`,
    `Sessions are paired by scenario and repeat; intervals are ${Math.round(result.confidence * 100)}% paired bootstrap intervals (${result.resamples} resamples, seed ${result.seed}; the gates' p-values use ${result.gateResamples}).`,
    `A gate fails when the mean change is beyond its limit in the bad direction **and** its Holm-adjusted p-value over all ${result.groups.reduce((n, g) => n + g.gates.length, 0)} gate tests is below ${formatP(1 - result.confidence)}; the error_rate gate fails when the candidate's share of errored or skipped sessions rose beyond its limit.`,
    `A change whose interval excludes zero after Holm's correction is marked in the tables: ${DIRECTION_SENTENCE}`,
    '',
    '</details>',
    '',
  ];
}

const NONE_WORSE = 'none: no group moved the bad way';

const DRILL: typeof SHOWN_METRICS = ['success', 'turns', 'batchingRate', 'inputTokens'];

/** The scenarios of a group that changed on a drill-down metric, at most `rows` of them, with a line on the rest. */
function drillDown(g: GroupComparison, rows: number): string[] {
  if (g.scenarios.length === 0 || rows === 0) return [];
  const changed = g.scenarios.filter((s) => DRILL.some((m) => s.metrics[m].difference !== 0 && Number.isFinite(s.metrics[m].difference)));
  const names = DRILL.map((m) => METRIC_INFO[m].label.toLowerCase()).join(', ');
  if (changed.length === 0) return ['', `Per scenario: none of the ${g.scenarios.length} scenarios changed (${names}).`];
  const cut = changed.length > rows ? `, the first ${rows} shown (every scenario is in compare.html)` : '';
  return [
    '',
    `Per scenario (change, candidate minus baseline): ${changed.length} of ${g.scenarios.length} changed${cut}.`,
    '',
    ...tableLines(
      ['scenario', 'pairs', ...DRILL.map((m) => METRIC_INFO[m].label)],
      changed.slice(0, rows).map((s) => [s.scenarioId, String(s.pairs), ...DRILL.map((m) => formatChange(m, s.metrics[m].difference))]),
    ),
  ];
}

/** " **✓ better**" or " **✗ worse**" after a real change (Holm-flagged), else nothing. */
function toneWords(metric: CompareMetric, c: MetricComparison): string {
  const tone = changeTone(metric, c);
  return tone === 'same' ? '' : ` **${directionMark(metric, c.difference)}**`;
}

/** One group, folded: its counts, every metric's change, and the scenarios that changed. */
function groupSection(result: RunComparison, g: GroupComparison, drillRows: number): string[] {
  const level = `${Math.round(result.confidence * 100)}% CI`;
  const gates = 1 + g.gates.length;
  const failed = (g.errorGate.status === 'fail' ? 1 : 0) + g.gates.filter((r) => r.status === 'fail').length;
  const out = [`<details><summary><b>${htmlText(groupLabel(g))}</b>: ${failed > 0 ? `${failed} of ${gates} gate(s) failed` : `${gates} gate(s) passed`}, ${g.pairs} pairs</summary>`, ''];
  out.push(`${md(groupCounts(g))}${g.variantChanged ? '; the prompt file of this variant changed' : ''}.`, '');
  out.push(
    ...tableLines(
      ['metric', 'baseline', 'candidate', 'change', level, 'p'],
      shownMetricsOf(g).map((m) => {
        const c = g.metrics[m];
        return [rowLabel(m, g), formatValue(m, c.baselineMean), formatValue(m, c.variantMean), `${formatChange(m, c.difference)} ${formatRelative(c)}${toneWords(m, c)}`.trim(), formatInterval(m, c), formatP(c.p)];
      }),
    ),
  );
  out.push(...drillDown(g, drillRows), '', '</details>', '');
  return out;
}

/** The per-group part, with as much detail as `level` allows: 2 all, 1 without scenarios, 0 only a pointer to compare.html. */
function groupsPart(result: RunComparison, level: number): string[] {
  if (level === 0) return ['### Per group', '', `${result.groups.length} group(s): every metric's change per group is in compare.html (left out here to fit a pull-request comment).`, ''];
  return ['### Per group', '', ...result.groups.flatMap((g) => groupSection(result, g, level === 2 ? DRILL_ROWS : 0))];
}

/**
 * `compare.md`, for a pull-request comment: the verdict, the failed gates
 * first, the passing gates summarised per gate (every row folded), then every
 * group folded. It stays under `limit` characters: when the whole does not
 * fit, the scenario drill-downs go first, then the folded list of every gate,
 * then the per-group tables (compare.html keeps them all).
 */
export function compareMarkdown(result: CompareResult, limit = COMPARE_MARKDOWN_LIMIT): string {
  const head = [`## batchbench compare: ${verdictLine(result)}`, '', ...intro(result), ''];
  const notes = result.notes.length > 0 ? ['### Notes', '', ...result.notes.map((n) => `- ${md(n)}`), ''] : [];
  if (!result.comparable) return [...head, 'The runs cannot be compared:', '', ...result.reasons.map((r) => `- ${md(r)}`), '', ...notes].join('\n');
  const attempts: [boolean, number][] = [[true, 2], [true, 1], [false, 1], [false, 0]];
  let text = '';
  for (const [all, level] of attempts) {
    text = [...head, ...failedSection(result), ...passingSummary(result), ...(all ? everyGate(result) : []), ...method(result), ...groupsPart(result, level), ...notes].join('\n');
    if (text.length <= limit) return text;
  }
  return text;
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

/** `compare --quiet`: the verdict and, below it, each failed gate's sentence (or why the runs cannot be compared). */
export function compareQuietText(result: CompareResult): string[] {
  if (!result.comparable) return [verdictLine(result), ...result.reasons.map((r) => `  ${r}`)];
  return [verdictLine(result), ...failedSentences(result).map((f) => `  FAIL  ${f}`)];
}
