import { createHash } from 'node:crypto';
import { RUN_FORMAT_VERSION, type CallRecord, type RunManifest, type SessionRecord, type TraceData, type TurnRecord } from '../../core/run-file/records.js';
import type { SessionWriter } from '../../core/run-file/run-files.js';
import { VERSION } from '../../core/version.js';
import { analyseDag } from '../../core/dag.js';
import { counterfactual } from '../../metrics/counterfactual.js';
import { INFERENCE_LABEL, inferDependencies, type InferredNode } from './infer-dependencies.js';
import type { RebuiltSession } from './rebuild-sessions.js';


/** Provider, variant and scenario every imported session is filed under. */
export const TRACE_VARIANT = 'imported';
export const TRACE_SCENARIO = 'traces';
export const traceProviderId = (model: string): string => `trace:${model}`;


/**
 * An imported session as an ordinary run record: one turn per model call,
 * the calls of each reply with the results the next request carried, usage
 * as recorded (or estimated, flagged), latency as recorded (0 when the format
 * has none). `completed` when the last reply asks for no tool, else
 * `budget-exceeded` (the trace stops with calls unanswered). Answers are not
 * judged: `success.passed` only says the conversation ended in a reply.
 */
export function sessionRecord(session: RebuiltSession, repeat: number, runId: string): SessionRecord {
  const nodes = inferDependencies(session);
  const byTurn = new Map<number, InferredNode[]>();
  for (const n of nodes) byTurn.set(n.turn, [...(byTurn.get(n.turn) ?? []), n]);
  let clock = 0;
  const turns: TurnRecord[] = session.calls.map((call, k) => {
    const calls: CallRecord[] = (byTurn.get(k + 1) ?? []).map((n, j) => {
      const tc = call.reply.toolCalls[j];
      return { id: n.callId, name: n.tool, args: tc?.args, rawArgs: tc?.rawArgs ?? '{}', node: n.id, depsSatisfied: true, result: n.result, isError: n.isError, latencyMs: 0 };
    });
    const modelMs = call.latencyMs ?? 0;
    const next = session.calls[k + 1];
    const end = call.startedAt !== undefined ? Date.parse(call.startedAt) + modelMs : Number.NaN;
    const gap = next?.startedAt !== undefined ? Date.parse(next.startedAt) - end : Number.NaN;
    const toolsMs = calls.length > 0 && Number.isFinite(gap) && gap > 0 ? gap : 0;
    const virtual = { startMs: clock, modelMs, toolsMs, endMs: clock + modelMs + toolsMs };
    clock = virtual.endMs;
    const u = call.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, estimated: true };
    return {
      index: k + 1,
      requestMessages: call.requestMessages,
      requestChars: call.requestChars,
      text: call.reply.text,
      finishReason: call.reply.finishReason,
      calls,
      usage: {
        inputTokens: u.inputTokens,
        outputTokens: u.outputTokens,
        cachedInputTokens: u.cachedInputTokens,
        ...(u.reasoningTokens !== undefined ? { reasoningTokens: u.reasoningTokens } : {}),
        estimated: u.estimated === true,
      },
      virtual,
      realLatencyMs: modelMs,
      retries: 0,
    };
  });
  const graph = nodes.map((n) => ({ id: n.id, tool: n.tool, args: n.args, needs: n.needs }));
  const cf = counterfactual(turns, graph);
  const first = session.calls[0];
  const last = session.calls[session.calls.length - 1];
  const prompt = first?.added ?? [];
  const model = first?.model ?? 'unknown';
  const answerTurns = turns.filter((t) => t.calls.length === 0).length;
  // Per-session trace data kept in `extra.trace` (read by `scenario from-trace`).
  const extra: TraceData = {
    sessionId: session.id,
    sources: session.calls.map((c) => `${c.source.file}:${c.source.line}`),
    prompt: {
      system: prompt.flatMap((m) => (m.role === 'system' ? [m.text] : [])).join('\n\n'),
      user: prompt.flatMap((m) => (m.role === 'user' ? [m.text] : [])).join('\n\n'),
    },
    tools: session.tools,
    graph: { label: INFERENCE_LABEL, nodes: graph },
    counterfactual: { turns: cf.turns, savedTurns: cf.savedTurns, savedInputTokens: cf.savedInputTokens, savedCachedInputTokens: cf.savedCachedInputTokens, savedLatencyMs: cf.savedLatencyMs },
  };
  const startedAt = first?.startedAt ?? new Date(0).toISOString();
  const ended = last?.startedAt !== undefined ? new Date(Date.parse(last.startedAt) + (last.latencyMs ?? 0)).toISOString() : startedAt;
  const pending = last !== undefined && last.reply.toolCalls.length > 0;
  const base = {
    formatVersion: RUN_FORMAT_VERSION,
    runId,
    key: `${traceProviderId(model)}|${TRACE_VARIANT}|${TRACE_SCENARIO}|${repeat}`,
    provider: { id: traceProviderId(model), kind: 'model' as const },
    variantId: TRACE_VARIANT,
    strategy: 'loop',
    scenarioId: TRACE_SCENARIO,
    repeat,
    seed: 0,
    // Levels of the inferred graph (its longest chain of needs), then the answer turns.
    optimalTurns: analyseDag(graph).optimalTurns - 1 + answerTurns,
    turns,
    finalAnswer: pending ? null : (last?.reply.text ?? null),
    success: { passed: !pending, missingCalls: [], missingFacts: [] },
    startedAt,
    finishedAt: ended,
    virtualMs: clock,
    realMs: clock,
    extra: { trace: extra },
  };
  return pending ? { ...base, status: 'budget-exceeded', stopReason: 'the trace ends with tool calls unanswered' } : { ...base, status: 'completed' };
}

/** The `traces` scenario's hash: the same in every import (it has no file). */
export const TRACE_SCENARIO_HASH = createHash('sha256').update('batchbench imported traces').digest('hex');

/** What run.json says of one imported session. */
export interface ImportedSessionShape {
  /** Model of its first call. */
  model: string;
  calls: number;
}

/** run.json of an imported run: one provider per model, the `imported` variant and `traces` scenario, the source files. */
export function importedManifest(run: {
  runId: string;
  /** In session order. */
  sessions: Iterable<ImportedSessionShape>;
  startedAt: string | undefined;
  endedAt: string | undefined;
  format: string;
  files: { file: string; sha256: string; lines: number }[];
  skippedLines: number;
}): RunManifest {
  const models = new Set<string>();
  let maxTurns = 0;
  let sessions = 0;
  for (const s of run.sessions) {
    models.add(traceProviderId(s.model));
    maxTurns = Math.max(maxTurns, s.calls);
    sessions += 1;
  }
  return {
    formatVersion: RUN_FORMAT_VERSION,
    runId: run.runId,
    tool: { name: 'batchbench', version: VERSION },
    config: {
      providers: [...models].map((id) => ({ id, kind: 'model' as const })),
      variants: [TRACE_VARIANT],
      scenarios: [TRACE_SCENARIO],
      repeats: sessions,
      concurrency: 1,
      seed: 0,
      modelLatencyMs: 0,
      maxTurns,
    },
    scenarios: [
      {
        id: TRACE_SCENARIO,
        title: 'Imported traces',
        domain: 'traces',
        shape: 'imported',
        difficulty: 'n/a',
        tags: ['imported'],
        file: '',
        // One fixed hash, so two imports compare (`compare`); the source files' hashes are in `imported.files`.
        hash: TRACE_SCENARIO_HASH,
        optimalTurns: 0,
        widths: [],
        dag: [],
      },
    ],
    variants: [{ id: TRACE_VARIANT, description: 'sessions imported from recorded traces', strategy: 'loop', parallelToolCalls: true, file: '', hash: '' }],
    startedAt: run.startedAt ?? new Date(0).toISOString(),
    endedAt: run.endedAt ?? null,
    state: 'finished',
    sessionsPlanned: sessions,
    sessionsWritten: sessions,
    imported: { from: 'traces', format: run.format, files: run.files, skippedLines: run.skippedLines, inference: INFERENCE_LABEL },
  };
}

/** Writes each finished session as its run record and keeps the run's first start and last end (for run.json). */
export class ImportedSessions {
  readonly #writer: SessionWriter;
  readonly #runId: string;
  startedAt: string | undefined;
  endedAt: string | undefined;

  constructor(writer: SessionWriter, runId: string) {
    this.#writer = writer;
    this.#runId = runId;
  }

  /** Session `index` (0-based), written with repeat `index + 1`. */
  write(session: RebuiltSession, index: number): void {
    const record = sessionRecord(session, index + 1, this.#runId);
    if (this.startedAt === undefined || record.startedAt < this.startedAt) this.startedAt = record.startedAt;
    if (this.endedAt === undefined || record.finishedAt > this.endedAt) this.endedAt = record.finishedAt;
    this.#writer.write(record);
  }

  close(): void {
    this.#writer.close();
  }
}
