import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { InputIssue } from '../../core/errors.js';
import { displayPath } from '../../core/input-files.js';
import { SessionWriter, writeManifest } from '../../core/run-file/run-files.js';
import type { TraceCall, TraceSource, TraceUsage } from './trace-call.js';
import { FORMAT_IDS, matchingFormats, TRACE_FORMATS, type TraceFormat } from './formats.js';
import { otelCalls, otelGroupKey, OtelGroups, otelSpans, type LocatedSpan, type OtelGroup } from './otel.js';
import { redactJson, type Redactor } from './redact.js';
import { PlacementList, SessionAssembler, SessionGrouper } from './rebuild-sessions.js';
import { importedManifest, ImportedSessions, type ImportedSessionShape } from './session-record.js';
import { isRegularFile, lines, Spool } from './trace-input.js';
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

/** Usage counted with the tokenizer, loaded only when a trace lacks usage (it is large). */
async function estimate(call: TraceCall): Promise<TraceUsage> {
  const { estimateUsage } = await import('./estimate-usage.js');
  return estimateUsage(call);
}

/** Stops reading after this many problems: enough to fix a file, bounded on a bad one. */
const MAX_ISSUES = 20;

const CHANGED = 'changed while it was being imported: import it again once nothing writes to it';

/**
 * `import traces`: reads each file line by line in two passes, holding only the
 * sessions still open. The first pass checks every line with its format's
 * reader (after redaction) and decides each call's session, keeping no call
 * (for OTLP spans: where each conversation's last span is); the second reads
 * the same lines again and writes each session to sessions.jsonl as soon as its
 * last call is in. A file that cannot be read twice (a pipe, a device) is
 * copied aside during the first pass and the copy read the second time; a file
 * that changed between the passes stops the import. Everything is written into
 * a temporary sibling directory renamed into place at the end (run.json marked
 * `imported`), so a failed import leaves nothing half-written.
 */
export async function importTraces(opts: ImportTracesOptions): Promise<ImportTracesResult> {
  const forced = opts.format === undefined ? undefined : TRACE_FORMATS.find((f) => f.id === opts.format);
  if (opts.format !== undefined && forced === undefined) {
    return { issues: [{ file: '--format', path: '', message: `unknown format ${JSON.stringify(opts.format)} (one of ${FORMAT_IDS.join(', ')})` }], skipped: new Map(), sessions: 0, calls: 0, format: opts.format };
  }
  const out = resolve(opts.out);
  if (existsSync(out) && readdirSync(out).length > 0) {
    return { issues: [{ file: displayPath(opts.out), path: '', message: 'exists and is not empty: choose a new run directory' }], skipped: new Map(), sessions: 0, calls: 0, format: opts.format ?? '' };
  }
  const job = new TraceImport(opts, forced, out);
  try {
    return (await job.firstReading()) ?? (await job.secondReading());
  } finally {
    job.removeCopies();
  }
}

/** One import: what the first reading learns, and the second reading that writes the run. */
class TraceImport {
  readonly #opts: ImportTracesOptions;
  readonly #forced: TraceFormat | undefined;
  readonly #out: string;
  readonly #runId: string;
  readonly #issues: InputIssue[] = [];
  readonly #skipped = new Map<string, number>();
  readonly #formats = new Set<string>();
  readonly #files: ReadFile[] = [];
  /** Where each line-format call goes, in reading order. */
  readonly #grouper = new SessionGrouper();
  readonly #placements = new PlacementList();
  readonly #otel = new OtelGroups();
  /** Copies of inputs that cannot be read twice. */
  readonly #copies: string[] = [];

  constructor(opts: ImportTracesOptions, forced: TraceFormat | undefined, out: string) {
    this.#opts = opts;
    this.#forced = forced;
    this.#out = out;
    this.#runId = basename(out);
  }

  get #format(): string {
    return [...this.#formats].join('+') || (this.#forced?.id ?? '');
  }

  get #calls(): number {
    return this.#placements.length + this.#otel.calls;
  }

  get #sessions(): number {
    return this.#grouper.sessions + this.#otel.sessions;
  }

  #result(issues: InputIssue[], extra: { interrupted?: true } = {}): ImportTracesResult {
    return { issues, skipped: this.#skipped, sessions: issues.length === 0 && extra.interrupted === undefined ? this.#sessions : 0, calls: this.#calls, format: this.#format, ...extra };
  }

  #stopped(): ImportTracesResult {
    return this.#result([], { interrupted: true });
  }

  #problem(issue: InputIssue, reason: string): void {
    if (this.#opts.skipInvalid) this.#skipped.set(reason, (this.#skipped.get(reason) ?? 0) + 1);
    else this.#issues.push(issue);
  }

  readonly #badChatSpan = (e: TraceLineError, source: TraceSource): void =>
    this.#problem({ file: `${source.file}:${source.line}`, path: e.path, message: e.message }, e.message.startsWith('cannot be grouped') ? 'cannot be grouped' : 'not an otel chat span');

  /** A line's JSON as the readers see it: redacted when the raw line may hold something to redact. */
  #redacted(text: string, parsed: unknown): unknown {
    return this.#opts.redact.needed(text) ? redactJson(parsed, this.#opts.redact) : parsed;
  }

  removeCopies(): void {
    for (const copy of this.#copies) rmSync(copy, { force: true });
  }

  /** Checks every line and places every call; returns the result when the import stops here. */
  async firstReading(): Promise<ImportTracesResult | undefined> {
    for (const [index, path] of this.#opts.files.entries()) {
      await this.#readFirst(index, path);
      if (this.#opts.signal?.aborted) return this.#stopped();
    }
    // OpenTelemetry sessions (one per conversation, made once all its spans are in) come after the line formats'.
    this.#otel.number(this.#grouper.sessions);
    if (this.#issues.length === 0 && this.#calls === 0) {
      this.#issues.push({ file: this.#files.map((f) => f.file).join(', '), path: '', message: `no model call found${this.#skipped.size > 0 ? ' (every line was skipped)' : ''}: nothing to import` });
    }
    return this.#issues.length > 0 ? this.#result(this.#issues) : undefined;
  }

  async #readFirst(index: number, path: string): Promise<void> {
    const file = displayPath(path);
    const entry: ReadFile = { path, file, sha256: '', lines: 0, format: this.#forced, ungrouped: new Set() };
    this.#files.push(entry);
    const hash = createHash('sha256');
    let copy: Spool | undefined;
    const maxIssues = this.#opts.maxIssues ?? MAX_ISSUES;
    try {
      if (!isRegularFile(path)) {
        mkdirSync(dirname(this.#out), { recursive: true });
        entry.spool = join(dirname(this.#out), `.${this.#runId}.spool-${process.pid}-${index}`);
        this.#copies.push(entry.spool);
        copy = new Spool(entry.spool);
      }
      for await (const text of lines(path, hash, this.#opts.signal)) {
        entry.lines += 1;
        copy?.write(text);
        if (this.#issues.length >= maxIssues) continue;
        if (text.trim() === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          this.#problem({ file: `${file}:${entry.lines}`, path: '', message: `not valid JSON: ${(e as Error).message}` }, 'not valid JSON');
          continue;
        }
        if (entry.format === undefined) {
          const hits = matchingFormats(parsed);
          entry.format = hits.length === 1 ? hits[0] : undefined;
          if (entry.format === undefined) {
            const message = hits.length === 0
              ? `unknown trace format: the line is none of ${FORMAT_IDS.join(', ')} (pass --format to say which)`
              : `ambiguous trace format: the line reads as ${hits.map((f) => f.id).join(' and ')} (pass --format to say which)`;
            this.#issues.push({ file: `${file}:${entry.lines}`, path: '', message });
            break;
          }
        }
        const format: TraceFormat = entry.format;
        try {
          const line = this.#redacted(text, parsed);
          if (format.id === 'otel') {
            for (const span of otelSpans(line, { file, line: entry.lines })) this.#otel.see(span, index, entry.lines, this.#badChatSpan);
          } else {
            const call = format.read(line, { file, line: entry.lines });
            try {
              this.#placements.push(this.#grouper.add(call));
            } catch (e) {
              if (e instanceof TraceLineError) entry.ungrouped.add(entry.lines);
              throw e;
            }
          }
          this.#formats.add(format.id);
        } catch (e) {
          if (!(e instanceof TraceLineError)) throw e;
          this.#problem({ file: `${file}:${entry.lines}`, path: e.path, message: e.message }, e.message.startsWith('cannot be grouped') ? 'cannot be grouped' : `not a ${format.id} call`);
        }
      }
    } catch (e) {
      this.#issues.push({ file, path: '', message: `cannot read: ${(e as Error).message}` });
    } finally {
      copy?.close();
    }
    entry.sha256 = hash.digest('hex');
  }

  /** Reads the lines again, writes each session when its last call is in, then run.json; moves the run into place. */
  async secondReading(): Promise<ImportTracesResult> {
    const tmp = join(dirname(this.#out), `.${this.#runId}.partial-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    try {
      const output = new ImportedSessions(new SessionWriter(tmp), this.#runId);
      const assembler = new SessionAssembler((s) => this.#grouper.callsOf(s));
      const state: SecondReading = { output, assembler, next: 0, overflow: false, openSpans: new Map() };
      for (const [index, entry] of this.#files.entries()) {
        const changed = await this.#readSecond(index, entry, state);
        if (this.#opts.signal?.aborted) return this.#stopped();
        if (changed) return this.#result([{ file: entry.file, path: '', message: CHANGED }]);
      }
      if (state.next !== this.#placements.length) throw new Error(`import traces: the second pass found ${state.next} calls where the first placed ${this.#placements.length}`);
      const open = assembler.open + state.openSpans.size;
      if (open > 0) throw new Error(`import traces: ${open} session(s) incomplete after the second pass`);
      output.close();
      writeManifest(
        tmp,
        importedManifest({
          runId: this.#runId,
          sessions: this.#sessionShapes(),
          startedAt: output.startedAt,
          endedAt: output.endedAt,
          format: this.#format,
          files: this.#files.map((f) => ({ file: f.file, sha256: f.sha256, lines: f.lines })),
          skippedLines: [...this.#skipped.values()].reduce((a, b) => a + b, 0),
        }),
      );
      if (existsSync(this.#out)) rmSync(this.#out, { recursive: true });
      renameSync(tmp, this.#out);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return this.#result([]);
  }

  /** One file's second reading; true when it is not the file the first reading read. */
  async #readSecond(index: number, entry: ReadFile, state: SecondReading): Promise<boolean> {
    const reader = entry.format;
    if (reader === undefined) return false;
    // A copy is this import's own; a file is hashed again to see that it did not change.
    const hash = entry.spool === undefined ? createHash('sha256') : undefined;
    let lineNo = 0;
    for await (const text of lines(entry.spool ?? entry.path, hash, this.#opts.signal)) {
      lineNo += 1;
      if (text.trim() === '' || entry.ungrouped.has(lineNo)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue;
      }
      const source = { file: entry.file, line: lineNo };
      // Lines the first reading refused are refused again, and were counted then.
      try {
        if (reader.id === 'otel') await this.#collectSpans(otelSpans(this.#redacted(text, parsed), source), index, lineNo, state);
        else await this.#place(reader.read(this.#redacted(text, parsed), source), state);
      } catch (e) {
        if (!(e instanceof TraceLineError)) throw e;
      }
    }
    return hash !== undefined && (state.overflow || hash.digest('hex') !== entry.sha256 || lineNo !== entry.lines);
  }

  /** A line-format call at the next placement; more calls than the first reading placed means the file changed. */
  async #place(call: TraceCall, state: SecondReading): Promise<void> {
    if (state.next >= this.#placements.length) {
      state.overflow = true;
      return;
    }
    const placement = this.#placements.at(state.next);
    state.next += 1;
    if (call.usage === undefined) call.usage = await estimate(call);
    const session = state.assembler.add(call, placement);
    if (session !== undefined) state.output.write(session, placement.session);
  }

  /** Keeps a line's spans with their conversation; a conversation whose last span this line holds becomes its session. */
  async #collectSpans(spans: readonly LocatedSpan[], file: number, line: number, state: SecondReading): Promise<void> {
    const touched = new Set<string>();
    for (const span of spans) {
      const key = otelGroupKey(span.span);
      if (key === undefined || this.#otel.get(key)?.index === undefined) continue;
      const list = state.openSpans.get(key);
      if (list) list.push(span);
      else state.openSpans.set(key, [span]);
      touched.add(key);
    }
    for (const key of touched) {
      const group = this.#otel.get(key) as OtelGroup;
      if (group.lastFile !== file || group.lastLine !== line) continue;
      await this.#finishConversation(group, state.openSpans.get(key) ?? [], state);
      state.openSpans.delete(key);
    }
  }

  async #finishConversation(group: OtelGroup, spans: readonly LocatedSpan[], state: SecondReading): Promise<void> {
    // Its chat spans' problems were counted by the first reading: these spans are the same ones.
    const calls = otelCalls(spans, () => {});
    if (group.index === undefined || calls.length !== group.chats) {
      state.overflow = true;
      return;
    }
    const assembler = new SessionAssembler(() => calls.length);
    for (const call of calls) {
      if (call.usage === undefined) call.usage = await estimate(call);
      const session = assembler.add(call, { session: group.index, from: 0 });
      if (session !== undefined) state.output.write(session, group.index);
    }
  }

  /** Each session's model and number of calls, in session order. */
  *#sessionShapes(): Generator<ImportedSessionShape> {
    for (let s = 0; s < this.#grouper.sessions; s += 1) yield { model: this.#grouper.modelOf(s), calls: this.#grouper.callsOf(s) };
    for (const group of this.#otel.numbered()) yield { model: group.model, calls: group.chats };
  }
}

/** Where the second reading stands. */
interface SecondReading {
  output: ImportedSessions;
  assembler: SessionAssembler;
  /** Next placement to use. */
  next: number;
  /** More calls than the first reading placed: the file changed in between. */
  overflow: boolean;
  /** Spans of the OpenTelemetry conversations begun and not yet complete. */
  openSpans: Map<string, LocatedSpan[]>;
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

