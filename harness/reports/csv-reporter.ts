import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { sessionMetrics } from '../metrics/session-metrics.js';
import { SUMMARY_METRICS, summarise } from '../metrics/summary.js';
import type { SessionRecord } from '../records.js';
import { safeCell } from './csv-cell.js';
import type { Reporter } from './types.js';

export function writeCsv(file: string, rows: readonly Record<string, unknown>[]): void {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const safe = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, safeCell(v)])));
  writeFileSync(file, stringify(safe, { header: true, columns, cast: { boolean: (b) => (b ? 'true' : 'false') } }));
}

function sessionIdentity(s: SessionRecord): Record<string, unknown> {
  return {
    provider: s.provider.id,
    provider_kind: s.provider.kind,
    variant: s.variantId,
    strategy: s.strategy,
    scenario: s.scenarioId,
    repeat: s.repeat,
  };
}

export function sessionRows(sessions: readonly SessionRecord[]): Record<string, unknown>[] {
  return sessions.map((s) => {
    const m = sessionMetrics(s);
    return {
      ...sessionIdentity(s),
      status: s.status,
      success: m.success,
      turns: m.turns,
      optimal_turns: m.optimalTurns,
      overhead: m.overhead,
      tool_calls: m.toolCalls,
      chain_calls: m.chainCalls,
      parallel_calls: m.parallelCalls,
      sequential_calls: m.sequentialCalls,
      avg_tools_per_turn: m.avgToolsPerTurn,
      batching_rate: m.batchingRate,
      efficiency_score: m.efficiencyScore,
      max_batch: m.maxBatch,
      tool_errors: m.toolErrors,
      unknown_tool_calls: m.unknownToolCalls,
      unmatched_calls: m.unmatchedCalls,
      input_tokens: m.inputTokens,
      output_tokens: m.outputTokens,
      cached_input_tokens: m.cachedInputTokens,
      tokens_estimated: m.tokensEstimated,
      virtual_ms: m.virtualMs,
      real_ms: Math.round(m.realMs * 1000) / 1000,
      missing_calls: s.success.missingCalls.join(' '),
      missing_facts: s.success.missingFacts.join(' | '),
      error: s.status === 'errored' ? `${s.error.class}: ${s.error.message}` : s.status === 'budget-exceeded' ? s.stopReason : '',
    };
  });
}

export function turnRows(sessions: readonly SessionRecord[]): Record<string, unknown>[] {
  return sessions.flatMap((s) => {
    let cumIn = 0;
    let cumOut = 0;
    return s.turns.map((t) => {
      cumIn += t.usage.inputTokens;
      cumOut += t.usage.outputTokens;
      return {
        ...sessionIdentity(s),
        turn: t.index,
        phase: t.phase ?? '',
        tool_calls: t.calls.length,
        tools: t.calls.map((c) => c.name).join(' '),
        tool_errors: t.calls.filter((c) => c.isError).length,
        finish_reason: t.finishReason,
        request_messages: t.requestMessages,
        request_chars: t.requestChars,
        input_tokens: t.usage.inputTokens,
        output_tokens: t.usage.outputTokens,
        cached_input_tokens: t.usage.cachedInputTokens,
        cumulative_input_tokens: cumIn,
        cumulative_output_tokens: cumOut,
        tokens_estimated: t.usage.estimated,
        virtual_start_ms: t.virtual.startMs,
        virtual_end_ms: t.virtual.endMs,
        real_latency_ms: Math.round(t.realLatencyMs * 1000) / 1000,
        retries: t.retries,
      };
    });
  });
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function summaryRows(sessions: readonly SessionRecord[]): Record<string, unknown>[] {
  return summarise(sessions).map((g) => ({
    provider: g.providerId,
    provider_kind: g.providerKind,
    variant: g.variantId,
    strategy: g.strategy,
    sessions: g.sessions,
    success_rate: g.successRate,
    completed: g.completed,
    failed: g.failed,
    budget_exceeded: g.budgetExceeded,
    errored: g.errored,
    tokens_estimated: g.tokensEstimated,
    ...Object.fromEntries(SUMMARY_METRICS.flatMap((m) => [[`mean_${snake(m)}`, g.mean[m]], [`median_${snake(m)}`, g.median[m]]])),
  }));
}

export const csvReporter: Reporter = {
  name: 'csv',
  write(run, dir) {
    const files = [join(dir, 'sessions.csv'), join(dir, 'turns.csv'), join(dir, 'summary.csv')];
    writeCsv(files[0] as string, sessionRows(run.sessions));
    writeCsv(files[1] as string, turnRows(run.sessions));
    writeCsv(files[2] as string, summaryRows(run.sessions));
    return Promise.resolve(files);
  },
};
