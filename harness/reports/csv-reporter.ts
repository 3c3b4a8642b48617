import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { SessionSavings } from '../metrics/counterfactual-run.js';
import type { ReportModel } from '../metrics/report-model.js';
import { SUMMARY_METRICS, type GroupSummary } from '../metrics/summary.js';
import type { SessionRecord } from '../core/run-file/records.js';
import { safeCell } from './csv-cell.js';
import { PLAN_COLUMNS, planRow } from './plans.js';
import type { Reporter } from './types.js';

/** Writes rows as CSV; a number that does not exist (NaN: nothing measured, no interval) is an empty cell, never "NaN" or 0. */
export function writeCsv(file: string, rows: readonly Record<string, unknown>[]): void {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const safe = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? '' : safeCell(v)])));
  writeFileSync(file, stringify(safe, { header: true, columns, cast: { boolean: (b) => (b ? 'true' : 'false') } }));
}

/** Column names of sessions.csv, in order. */
export const SESSION_COLUMNS = [
  'provider', 'provider_kind', 'variant', 'strategy', 'scenario', 'repeat', 'status', 'success', 'turns', 'optimal_turns', 'overhead',
  'tool_calls', 'chain_calls', 'parallel_calls', 'sequential_calls', 'avg_tools_per_turn', 'batching_rate', 'efficiency_score', 'max_batch',
  'tool_errors', 'unknown_tool_calls', 'unmatched_calls', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'tokens_estimated',
  'duplicate_calls', 'unexpected_calls', 'failed_calls', 'recovered_calls', 'unrecovered_calls', 'wasted_turns', 'wasted_input_tokens',
  'trajectory_precision', 'trajectory_recall', 'trajectory_check',
  'virtual_ms', 'real_ms', 'missing_calls', 'missing_facts', 'error',
  'counterfactual_graph', 'counterfactual_saved_turns', 'counterfactual_saved_input_tokens', 'counterfactual_saved_cost_usd', 'counterfactual_saved_latency_ms',
] as const;

/** The counterfactual cells of a sessions.csv row: blank for a session without savings (not measured). */
const savingsCells = (x: SessionSavings | undefined): unknown[] =>
  x === undefined ? ['', '', '', '', ''] : [x.graph, x.savedTurns, x.savedInputTokens, Number.isFinite(x.savedCostUsd) ? x.savedCostUsd : '', x.savedLatencyMs];

/** sessions.csv rows as arrays in SESSION_COLUMNS order: one row per session with its metrics and counterfactual savings. */
export function* sessionRows(model: Pick<ReportModel, 'records' | 'perSession'>): Generator<unknown[]> {
  for (const [i, s] of model.records.entries()) {
    const r = model.perSession[i];
    if (!r) continue;
    const m = r.metrics;
    const error = s.status === 'errored' ? `${s.error.class}: ${s.error.message}` : s.status === 'budget-exceeded' ? s.stopReason : s.status === 'skipped' ? `skipped: ${s.reason}` : '';
    yield [
      s.provider.id, s.provider.kind, s.variantId, s.strategy, s.scenarioId, s.repeat, s.status, m.success, m.turns, m.optimalTurns, m.overhead,
      m.toolCalls, m.chainCalls, m.parallelCalls, m.sequentialCalls, m.avgToolsPerTurn, m.batchingRate, m.efficiencyScore, m.maxBatch,
      m.toolErrors, m.unknownToolCalls, m.unmatchedCalls, m.inputTokens, m.outputTokens, m.cachedInputTokens, m.tokensEstimated,
      m.duplicateCalls, m.unexpectedCalls, m.failedCalls, m.recoveredCalls, m.unrecoveredCalls, m.wastedTurns, m.wastedInputTokens,
      m.trajectoryPrecision, Number.isNaN(m.trajectoryRecall) ? '' : m.trajectoryRecall, s.success.trajectory ? `${s.success.trajectory.mode}: ${s.success.trajectory.passed ? 'passed' : 'failed'}` : '',
      m.virtualMs, Math.round(m.realMs * 1000) / 1000, s.success.missingCalls.join(' '), s.success.missingFacts.join(' | '), error,
      ...savingsCells(r.savings),
    ];
  }
}

/** Column names of turns.csv, in order. */
export const TURN_COLUMNS = [
  'provider', 'provider_kind', 'variant', 'strategy', 'scenario', 'repeat', 'turn', 'phase', 'tool_calls', 'tools', 'tool_errors', 'finish_reason',
  'request_messages', 'request_chars', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cumulative_input_tokens', 'cumulative_output_tokens',
  'tokens_estimated', 'virtual_start_ms', 'virtual_end_ms', 'real_latency_ms', 'retries',
] as const;

/** turns.csv rows as arrays in TURN_COLUMNS order: one row per model turn, with running token totals for token curves. */
export function* turnRows(sessions: readonly SessionRecord[]): Generator<unknown[]> {
  for (const s of sessions) {
    let cumIn = 0;
    let cumOut = 0;
    for (const t of s.turns) {
      cumIn += t.usage.inputTokens;
      cumOut += t.usage.outputTokens;
      let errors = 0;
      let tools = '';
      for (const c of t.calls) {
        if (c.isError) errors += 1;
        tools = tools === '' ? c.name : `${tools} ${c.name}`;
      }
      yield [
        s.provider.id, s.provider.kind, s.variantId, s.strategy, s.scenarioId, s.repeat, t.index, t.phase ?? '', t.calls.length, tools, errors, t.finishReason,
        t.requestMessages, t.requestChars, t.usage.inputTokens, t.usage.outputTokens, t.usage.cachedInputTokens, cumIn, cumOut,
        t.usage.estimated, t.virtual.startMs, t.virtual.endMs, Math.round(t.realLatencyMs * 1000) / 1000, t.retries,
      ];
    }
  }
}

/** Characters of CSV written at a time: few enough that a chunk's text dies young instead of piling up in the old generation. */
const CHUNK_CHARS = 1 << 18;

/**
 * Writes a large CSV from array rows in chunks, so memory does not grow with
 * the file: text cells are neutralised against formula injection as in `writeCsv`.
 */
export function writeCsvRows(file: string, columns: readonly string[], rows: Iterable<unknown[]>): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, stringify([columns as string[]]));
    let chunk = '';
    for (const row of rows) {
      chunk += csvRecord(row.map(safeCell));
      if (chunk.length >= CHUNK_CHARS) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    if (chunk !== '') writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

const CAST = { cast: { boolean: (b: boolean): string => (b ? 'true' : 'false') } };

/**
 * One CSV record with its newline, exactly as csv-stringify writes it with CAST: a string, number,
 * boolean, null or undefined cell is written here (csv-stringify's per-cell work was most of the time
 * of turns.csv and sessions.csv; a test holds the two to the same bytes), a row with any other cell by
 * csv-stringify itself.
 */
export function csvRecord(row: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    let cell: string;
    if (typeof v === 'string') cell = v;
    else if (typeof v === 'number') cell = `${v}`;
    else if (typeof v === 'boolean') cell = v ? 'true' : 'false';
    else if (v === null || v === undefined) cell = '';
    else return stringify([row as unknown[]], CAST);
    if (cell.includes('"')) cell = `"${cell.replaceAll('"', '""')}"`;
    else if (cell.includes(',') || cell.includes('\n') || cell.includes('\r')) cell = `"${cell}"`;
    line += i === 0 ? cell : `,${cell}`;
  }
  return `${line}\n`;
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** summary.csv: per provider x variant, status counts and each metric's mean and median over the measured sessions (empty when none). */
export function summaryRows(summaries: readonly GroupSummary[]): Record<string, unknown>[] {
  return summaries.map((g) => ({
    provider: g.providerId,
    provider_kind: g.providerKind,
    variant: g.variantId,
    strategy: g.strategy,
    sessions: g.sessions,
    measured: g.measured,
    success_rate: g.successRate,
    completed: g.completed,
    failed: g.failed,
    budget_exceeded: g.budgetExceeded,
    errored: g.errored,
    skipped: g.skipped,
    tokens_estimated: g.tokensEstimated,
    ...Object.fromEntries(SUMMARY_METRICS.flatMap((m) => [[`mean_${snake(m)}`, g.mean[m]], [`median_${snake(m)}`, g.median[m]]])),
  }));
}

export const csvReporter: Reporter = {
  name: 'csv',
  write(model, dir) {
    const files = [join(dir, 'sessions.csv'), join(dir, 'turns.csv'), join(dir, 'summary.csv')];
    writeCsvRows(files[0] as string, SESSION_COLUMNS, sessionRows(model));
    writeCsvRows(files[1] as string, TURN_COLUMNS, turnRows(model.records));
    writeCsv(files[2] as string, summaryRows(model.summaries));
    if (model.plans.length > 0) {
      const file = join(dir, 'plans.csv');
      writeCsvRows(file, PLAN_COLUMNS, model.plans.map(planRow));
      files.push(file);
    }
    return Promise.resolve(files);
  },
};
