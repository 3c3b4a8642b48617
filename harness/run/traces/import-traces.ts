import { createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, open, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { InputIssue } from '../../core/errors.js';
import { displayPath } from '../../core/input-files.js';
import { RUN_FORMAT_VERSION, type RunManifest } from '../../core/run-file/records.js';
import { SessionWriter, writeManifest } from '../../core/run-file/run-files.js';
import { VERSION } from '../../core/version.js';
import type { TraceCall, TraceSource, TraceUsage } from './trace-call.js';
import { FORMAT_IDS, matchingFormats, TRACE_FORMATS, type TraceFormat } from './formats.js';
import { INFERENCE_LABEL } from './infer-dependencies.js';
import { otelCalls, otelSpans, type LocatedSpan } from './otel.js';
import { redactJson, type Redactor } from './redact.js';
import { SessionAssembler, SessionGrouper, type Placement } from './rebuild-sessions.js';
import { sessionRecord, TRACE_SCENARIO, TRACE_VARIANT, traceProviderId } from './session-record.js';
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
  /** Aborted (Ctrl-C): the import stops reading, removes what it wrote and returns `interrupted`. */
  signal?: AbortSignal;
}

export interface ImportTracesResult {
  /** Problems that stopped the import (nothing written); empty on success. */
  issues: InputIssue[];
  /** Reason -> lines skipped with `--skip-invalid`. */
  skipped: Map<string, number>;
  sessions: number;
  calls: number;
  format: string;
  /** True when the signal stopped the import: nothing was written. */
  interrupted?: boolean;
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
 * `import traces`: reads each file line by line in two passes, holding only the
 * sessions still open. The first pass checks every line with its format's
 * reader (after redaction) and decides each call's session, keeping no call;
 * the second reads the same lines again and writes each session to
 * sessions.jsonl as soon as its last call is in. A file that cannot be read
 * twice (a pipe, a device) is copied aside during the first pass and the copy
 * read the second time; a file that changed between the passes stops the
 * import. Everything is written into a temporary sibling directory renamed into
 * place at the end (run.json marked `imported`), so a failed import leaves
 * nothing half-written.
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
  const runId = basename(out);
  const grouper = new SessionGrouper();
  const placements = new PlacementList();
  const formats = new Set<string>();
  const read: ReadFile[] = [];
  const spans: LocatedSpan[] = [];
  const problem = (issue: InputIssue, reason: string): void => {
    if (opts.skipInvalid) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    else issues.push(issue);
  };
  const readCall = (format: TraceFormat, text: string, parsed: unknown, source: TraceSource): TraceCall =>
    format.read(opts.redact.needed(text) ? redactJson(parsed, opts.redact) : parsed, source);
  const spools: string[] = [];
  const stopped = (): ImportTracesResult => ({ issues: [], skipped, sessions: 0, calls: placements.length, format: [...formats].join('+'), interrupted: true });

  try {
    // First pass: check every line, place every call.
    for (const [index, path] of opts.files.entries()) {
      const file = displayPath(path);
      const entry: ReadFile = { path, file, sha256: '', lines: 0, format: forced, ungrouped: new Set() };
      read.push(entry);
      const hash = createHash('sha256');
      let spool: Spool | undefined;
      try {
        if (!isRegularFile(path)) {
          mkdirSync(dirname(out), { recursive: true });
          entry.spool = join(dirname(out), `.${runId}.spool-${process.pid}-${index}`);
          spools.push(entry.spool);
          spool = new Spool(entry.spool);
        }
        for await (const text of lines(path, hash, opts.signal)) {
          entry.lines += 1;
          spool?.write(text);
          if (issues.length >= maxIssues) continue;
          if (text.trim() === '') continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch (e) {
            problem({ file: `${file}:${entry.lines}`, path: '', message: `not valid JSON: ${(e as Error).message}` }, 'not valid JSON');
            continue;
          }
          if (entry.format === undefined) {
            const hits = matchingFormats(parsed);
            entry.format = hits.length === 1 ? hits[0] : undefined;
            if (entry.format === undefined) {
              const message = hits.length === 0
                ? `unknown trace format: the line is none of ${FORMAT_IDS.join(', ')} (pass --format to say which)`
                : `ambiguous trace format: the line reads as ${hits.map((f) => f.id).join(' and ')} (pass --format to say which)`;
              issues.push({ file: `${file}:${entry.lines}`, path: '', message });
              break;
            }
          }
          const format: TraceFormat = entry.format;
          try {
            if (format.id === 'otel') {
              spans.push(...otelSpans(opts.redact.needed(text) ? redactJson(parsed, opts.redact) : parsed, { file, line: entry.lines }));
              formats.add(format.id);
              continue;
            }
            const call = readCall(format, text, parsed, { file, line: entry.lines });
            try {
              placements.push(grouper.add(call));
            } catch (e) {
              if (e instanceof TraceLineError) entry.ungrouped.add(entry.lines);
              throw e;
            }
            formats.add(format.id);
          } catch (e) {
            if (!(e instanceof TraceLineError)) throw e;
            problem({ file: `${file}:${entry.lines}`, path: e.path, message: e.message }, e.message.startsWith('cannot be grouped') ? 'cannot be grouped' : `not a ${format.id} call`);
          }
        }
      } catch (e) {
        issues.push({ file, path: '', message: `cannot read: ${(e as Error).message}` });
      } finally {
        spool?.close();
      }
      entry.sha256 = hash.digest('hex');
      if (opts.signal?.aborted) return stopped();
    }
    const fromLines = placements.length;
    // OpenTelemetry spans make calls only once every file is read: they are placed after the line formats' calls.
    const otel: TraceCall[] = [];
    if (spans.length > 0 && issues.length === 0) {
      const bad = (e: TraceLineError, source: { file: string; line: number }): void =>
        problem({ file: `${source.file}:${source.line}`, path: e.path, message: e.message }, e.message.startsWith('cannot be grouped') ? 'cannot be grouped' : 'not an otel chat span');
      for (const call of otelCalls(spans, bad)) {
        try {
          placements.push(grouper.add(call));
          otel.push(call);
        } catch (e) {
          if (!(e instanceof TraceLineError)) throw e;
          bad(e, call.source);
        }
      }
    }
    spans.length = 0;
    const calls = placements.length;
    const format = [...formats].join('+') || (forced?.id ?? '');
    if (issues.length === 0 && calls === 0) issues.push({ file: read.map((f) => f.file).join(', '), path: '', message: `no model call found${skipped.size > 0 ? ' (every line was skipped)' : ''}: nothing to import` });
    if (issues.length > 0) return { issues, skipped, sessions: 0, calls, format };

    // Second pass: the same calls in the same order, each session written when its last call is in.
    const tmp = join(dirname(out), `.${runId}.partial-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    try {
      const writer = new SessionWriter(tmp);
      const assembler = new SessionAssembler((s) => grouper.callsOf(s));
      let startedAt: string | undefined;
      let endedAt: string | undefined;
      let next = 0;
      // More calls than the first reading placed: the file changed in between (caught below, with its hash).
      let overflow = false;
      const place = async (call: TraceCall): Promise<void> => {
        if (next >= calls) {
          overflow = true;
          return;
        }
        const placement = placements.at(next);
        next += 1;
        if (call.usage === undefined) call.usage = await estimate(call);
        const session = assembler.add(call, placement);
        if (session === undefined) return;
        const record = sessionRecord(session, placement.session + 1, runId);
        if (startedAt === undefined || record.startedAt < startedAt) startedAt = record.startedAt;
        if (endedAt === undefined || record.finishedAt > endedAt) endedAt = record.finishedAt;
        writer.write(record);
      };
      for (const entry of read) {
        const reader = entry.format;
        if (reader === undefined || reader.id === 'otel') continue;
        const hash = entry.spool === undefined ? createHash('sha256') : undefined;
        let lineNo = 0;
        for await (const text of lines(entry.spool ?? entry.path, hash, opts.signal)) {
          lineNo += 1;
          if (text.trim() === '' || entry.ungrouped.has(lineNo)) continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            continue;
          }
          let call: TraceCall;
          try {
            call = readCall(reader, text, parsed, { file: entry.file, line: lineNo });
          } catch (e) {
            if (e instanceof TraceLineError) continue;
            throw e;
          }
          await place(call);
        }
        if (opts.signal?.aborted) return stopped();
        if (hash !== undefined && (overflow || hash.digest('hex') !== entry.sha256 || lineNo !== entry.lines)) {
          return { issues: [{ file: entry.file, path: '', message: 'changed while it was being imported: import it again once nothing writes to it' }], skipped, sessions: 0, calls, format };
        }
      }
      if (next !== fromLines) throw new Error(`import traces: the second pass found ${next} calls where the first placed ${fromLines}`);
      for (const call of otel) {
        if (opts.signal?.aborted) return stopped();
        await place(call);
      }
      if (assembler.open > 0) throw new Error(`import traces: ${assembler.open} session(s) incomplete after the second pass`);
      writer.close();
      const models = new Set<string>();
      let maxTurns = 0;
      for (let s = 0; s < grouper.sessions; s += 1) {
        models.add(traceProviderId(grouper.modelOf(s)));
        maxTurns = Math.max(maxTurns, grouper.callsOf(s));
      }
      const manifest: RunManifest = {
        formatVersion: RUN_FORMAT_VERSION,
        runId,
        tool: { name: 'batchbench', version: VERSION },
        config: {
          providers: [...models].map((id) => ({ id, kind: 'model' as const })),
          variants: [TRACE_VARIANT],
          scenarios: [TRACE_SCENARIO],
          repeats: grouper.sessions,
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
        startedAt: startedAt ?? new Date(0).toISOString(),
        endedAt: endedAt ?? null,
        state: 'finished',
        sessionsPlanned: grouper.sessions,
        sessionsWritten: grouper.sessions,
        imported: { from: 'traces', format, files: read.map((f) => ({ file: f.file, sha256: f.sha256, lines: f.lines })), skippedLines: [...skipped.values()].reduce((a, b) => a + b, 0), inference: INFERENCE_LABEL },
      };
      writeManifest(tmp, manifest);
      if (existsSync(out)) rmSync(out, { recursive: true });
      renameSync(tmp, out);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return { issues, skipped, sessions: grouper.sessions, calls, format };
  } finally {
    for (const spool of spools) rmSync(spool, { force: true });
  }
}

/** A file given to the import, as the first pass read it. */
interface ReadFile {
  path: string;
  file: string;
  sha256: string;
  lines: number;
  format: TraceFormat | undefined;
  /** Lines whose call the grouper refused (skipped with `--skip-invalid`): the second pass skips them too. */
  ungrouped: Set<number>;
  /** The copy of a file that cannot be read twice. */
  spool?: string;
}

/** Whether `path` is a regular file (one that reads the same twice); a path that cannot be looked at is left to the read to report. */
function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true;
  }
}

/**
 * The lines of a file, streamed (decompressed when it holds gzip data); every chunk of the file as
 * stored also goes to `hash` when given. An abort ends them at once (the caller checks the signal
 * after the loop).
 */
async function* lines(path: string, hash: Hash | undefined, signal: AbortSignal | undefined): AsyncGenerator<string> {
  if (signal?.aborted) return;
  const raw = isPipe(path) ? await pipeReader(path) : createReadStream(path);
  const gzip = await startsWithGzip(raw);
  if (raw.readableEnded) return;
  if (hash !== undefined) raw.on('data', (chunk: Buffer | string) => hash.update(chunk));
  const input = gzip ? gunzipped(raw) : raw;
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  // Closing the reader ends the loop below; destroying the stream alone would leave it waiting.
  const stop = (): void => {
    reader.close();
    input.destroy();
    raw.destroy();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const line of reader) {
      if (signal?.aborted) return;
      yield line;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}

/**
 * Whether the stream's data starts with gzip's magic bytes (1f 8b), whatever the file is called and
 * whether it is a file or a pipe; the bytes looked at are put back. Throws the stream's error (a file
 * that cannot be opened).
 */
async function startsWithGzip(raw: Readable): Promise<boolean> {
  for (;;) {
    const head = raw.read() as Buffer | null;
    if (head !== null) {
      raw.unshift(head);
      return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    }
    if (raw.errored) throw raw.errored;
    if (raw.readableEnded || raw.destroyed) return false;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        raw.off('readable', done);
        raw.off('end', done);
        raw.off('error', done);
        resolve();
      };
      raw.on('readable', done);
      raw.on('end', done);
      raw.on('error', done);
    });
  }
}

/** The decompressed stream of `raw`, failing with `raw`'s errors too (a truncated file fails with zlib's). */
function gunzipped(raw: Readable): Readable {
  const out = createGunzip();
  raw.on('error', (e) => out.destroy(e));
  return raw.pipe(out);
}

function isPipe(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

/**
 * A pipe (a named FIFO, `/dev/stdin` from a pipe, `<(zcat ...)`) read through the event loop: a file
 * stream's pending read of a silent pipe would hold the process after an abort until the writer wrote
 * again. Opening waits for a writer, as reading a FIFO does.
 */
async function pipeReader(path: string): Promise<Socket> {
  const fd = await new Promise<number>((resolve, reject) => open(path, 'r', (e, opened) => (e ? reject(e) : resolve(opened))));
  return new Socket({ fd, readable: true, writable: false });
}

/** The first pass's copy of an input that cannot be read twice, written in chunks. */
class Spool {
  readonly #fd: number;
  #pending: string[] = [];
  #size = 0;

  constructor(file: string) {
    this.#fd = openSync(file, 'wx', 0o600);
  }

  write(line: string): void {
    this.#pending.push(line);
    this.#size += line.length + 1;
    if (this.#size >= 1 << 20) this.#flush();
  }

  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#pending.length > 0) writeSync(this.#fd, `${this.#pending.join('\n')}\n`);
    this.#pending = [];
    this.#size = 0;
  }
}

/** Placements of every call in order, two 32-bit numbers each. */
class PlacementList {
  #data = new Int32Array(2 * 1024);
  length = 0;

  push(p: Placement): void {
    if (2 * this.length + 2 > this.#data.length) {
      const grown = new Int32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[2 * this.length] = p.session;
    this.#data[2 * this.length + 1] = p.from;
    this.length += 1;
  }

  at(i: number): Placement {
    return { session: this.#data[2 * i] as number, from: this.#data[2 * i + 1] as number };
  }
}
