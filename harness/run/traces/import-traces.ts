import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { InputIssue } from '../../core/errors.js';
import { displayPath } from '../../core/input-files.js';
import { RUN_FORMAT_VERSION, type RunManifest } from '../../core/run-file/records.js';
import { SessionWriter, writeManifest } from '../../core/run-file/run-files.js';
import { VERSION } from '../../core/version.js';
import type { TraceCall, TraceUsage } from './trace-call.js';
import { FORMAT_IDS, matchingFormats, TRACE_FORMATS, type TraceFormat } from './formats.js';
import { INFERENCE_LABEL } from './infer-dependencies.js';
import { otelCalls, otelSpans, type LocatedSpan } from './otel.js';
import { redactJson, type Redactor } from './redact.js';
import { SessionRebuilder } from './rebuild-sessions.js';
import { sessionRecord, TRACE_SCENARIO, TRACE_VARIANT } from './session-record.js';
import { TraceLineError } from './trace-line-error.js';

export interface ImportTracesOptions {
  files: readonly string[];
  out: string;
  /** Forced format; detected per file from its first line otherwise. */
  format?: string;
  /** Skip bad lines (counted, with reasons) instead of failing. */
  skipInvalid: boolean;
  redact: Redactor;
  /** Stop collecting problems after this many (default 20). */
  maxIssues?: number;
}

export interface ImportTracesResult {
  /** Problems that stopped the import (nothing written); empty on success. */
  issues: InputIssue[];
  /** Reason -> lines skipped with `--skip-invalid`. */
  skipped: Map<string, number>;
  sessions: number;
  calls: number;
  format: string;
}

/** The `traces` scenario's hash: the same in every import (it has no file). */
export const TRACE_SCENARIO_HASH = createHash('sha256').update('batchbench imported traces').digest('hex');

/** Usage counted with the tokenizer, loaded only when a trace lacks usage (it is large). */
async function estimate(call: TraceCall): Promise<TraceUsage> {
  const { estimateUsage } = await import('./estimate-usage.js');
  return estimateUsage(call);
}

/** Stops reading after this many problems: enough to fix a file, bounded on a bad one. */
const MAX_ISSUES = 20;

/**
 * `import traces`: streams each file line by line, reads every line with its
 * format's reader after redaction, rebuilds the sessions, and writes a run
 * directory (run.json marked `imported`, sessions.jsonl). Everything is
 * written into a temporary sibling directory renamed into place at the end,
 * so a failed import leaves nothing half-written.
 */
export async function importTraces(opts: ImportTracesOptions): Promise<ImportTracesResult> {
  const issues: InputIssue[] = [];
  const skipped = new Map<string, number>();
  const maxIssues = opts.maxIssues ?? MAX_ISSUES;
  const forced = opts.format === undefined ? undefined : TRACE_FORMATS.find((f) => f.id === opts.format);
  if (opts.format !== undefined && forced === undefined) {
    return { issues: [{ file: '--format', path: '', message: `unknown format ${JSON.stringify(opts.format)} (one of ${FORMAT_IDS.join(', ')})` }], skipped, sessions: 0, calls: 0, format: opts.format };
  }
  const out = resolve(opts.out);
  if (existsSync(out) && readdirSync(out).length > 0) {
    return { issues: [{ file: displayPath(opts.out), path: '', message: 'exists and is not empty: choose a new run directory' }], skipped, sessions: 0, calls: 0, format: opts.format ?? '' };
  }
  const rebuilder = new SessionRebuilder();
  const formats = new Set<string>();
  const files: { file: string; sha256: string; lines: number }[] = [];
  let calls = 0;
  const spans: LocatedSpan[] = [];
  const problem = (issue: InputIssue, reason: string): void => {
    if (opts.skipInvalid) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    else issues.push(issue);
  };

  for (const path of opts.files) {
    const file = displayPath(path);
    const hash = createHash('sha256');
    let format: TraceFormat | undefined = forced;
    let lineNo = 0;
    let stream;
    try {
      stream = createReadStream(path);
      stream.on('data', (chunk) => hash.update(chunk));
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const text of lines) {
        lineNo += 1;
        if (issues.length >= maxIssues) continue;
        if (text.trim() === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          problem({ file: `${file}:${lineNo}`, path: '', message: `not valid JSON: ${(e as Error).message}` }, 'not valid JSON');
          continue;
        }
        if (format === undefined) {
          const hits = matchingFormats(parsed);
          format = hits.length === 1 ? hits[0] : undefined;
          if (format === undefined) {
            const message = hits.length === 0
              ? `unknown trace format: the line is none of ${FORMAT_IDS.join(', ')} (pass --format to say which)`
              : `ambiguous trace format: the line reads as ${hits.map((f) => f.id).join(' and ')} (pass --format to say which)`;
            issues.push({ file: `${file}:${lineNo}`, path: '', message });
            break;
          }
        }
        try {
          if (format.id === 'otel') {
            spans.push(...otelSpans(opts.redact.needed(text) ? redactJson(parsed, opts.redact) : parsed, { file, line: lineNo }));
            formats.add(format.id);
            continue;
          }
          const call = format.read(opts.redact.needed(text) ? redactJson(parsed, opts.redact) : parsed, { file, line: lineNo });
          if (call.usage === undefined) call.usage = await estimate(call);
          rebuilder.add(call);
          formats.add(format.id);
          calls += 1;
        } catch (e) {
          if (!(e instanceof TraceLineError)) throw e;
          problem({ file: `${file}:${lineNo}`, path: e.path, message: e.message }, e.message.startsWith('cannot be grouped') ? 'cannot be grouped' : `not a ${format.id} call`);
        }
      }
    } catch (e) {
      issues.push({ file, path: '', message: `cannot read: ${(e as Error).message}` });
    } finally {
      stream?.destroy();
    }
    files.push({ file, sha256: hash.digest('hex'), lines: lineNo });
  }
  if (spans.length > 0 && issues.length === 0) {
    const bad = (e: TraceLineError, source: { file: string; line: number }): void =>
      problem({ file: `${source.file}:${source.line}`, path: e.path, message: e.message }, e.message.startsWith('cannot be grouped') ? 'cannot be grouped' : 'not an otel chat span');
    for (const call of otelCalls(spans, bad)) {
      if (call.usage === undefined) call.usage = await estimate(call);
      try {
        rebuilder.add(call);
        calls += 1;
      } catch (e) {
        if (!(e instanceof TraceLineError)) throw e;
        bad(e, call.source);
      }
    }
  }
  const format = [...formats].join('+') || (forced?.id ?? '');
  if (issues.length === 0 && calls === 0) issues.push({ file: files.map((f) => f.file).join(', '), path: '', message: `no model call found${skipped.size > 0 ? ' (every line was skipped)' : ''}: nothing to import` });
  if (issues.length > 0) return { issues, skipped, sessions: 0, calls, format };

  const runId = basename(out);
  const tmp = join(dirname(out), `.${runId}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    const writer = new SessionWriter(tmp);
    const models = new Set<string>();
    let startedAt: string | undefined;
    let endedAt: string | undefined;
    rebuilder.sessions.forEach((s, i) => {
      const record = sessionRecord(s, i + 1, runId);
      models.add(record.provider.id);
      if (startedAt === undefined || record.startedAt < startedAt) startedAt = record.startedAt;
      if (endedAt === undefined || record.finishedAt > endedAt) endedAt = record.finishedAt;
      writer.write(record);
    });
    writer.close();
    const manifest: RunManifest = {
      formatVersion: RUN_FORMAT_VERSION,
      runId,
      tool: { name: 'batchbench', version: VERSION },
      config: {
        providers: [...models].map((id) => ({ id, kind: 'model' as const })),
        variants: [TRACE_VARIANT],
        scenarios: [TRACE_SCENARIO],
        repeats: rebuilder.sessions.length,
        concurrency: 1,
        seed: 0,
        modelLatencyMs: 0,
        maxTurns: Math.max(0, ...rebuilder.sessions.map((s) => s.calls.length)),
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
      startedAt: startedAt ?? new Date(0).toISOString(),
      endedAt: endedAt ?? null,
      state: 'finished',
      sessionsPlanned: rebuilder.sessions.length,
      sessionsWritten: rebuilder.sessions.length,
      imported: { from: 'traces', format, files, skippedLines: [...skipped.values()].reduce((a, b) => a + b, 0), inference: INFERENCE_LABEL },
    };
    writeManifest(tmp, manifest);
    if (existsSync(out)) rmSync(out, { recursive: true });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { issues, skipped, sessions: rebuilder.sessions.length, calls, format };
}
