import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';
import { validateWith } from '../input-files.js';
import { bufferLines, fileLines, type ByteLine } from './file-lines.js';
import { migrateManifest, migrateSession } from './migrate.js';
import type { RunManifest, SessionRecord } from './records.js';
import { isSessionLine, manifestSchema, sessionLineSchema } from './schema.js';

export const MANIFEST_FILE = 'run.json';
export const SESSIONS_FILE = 'sessions.jsonl';
/** The sessions gzipped, as `baseline save` stores them; read when `sessions.jsonl` is absent. */
export const SESSIONS_GZ_FILE = 'sessions.jsonl.gz';
/** Largest text a gzipped sessions file may expand to: far above a real run, far below what would exhaust the process. */
export const MAX_SESSIONS_GZ_BYTES = 512 * 1024 * 1024;

/** The last line of sessions.jsonl when a writer stopped in the middle of it (no newline, not JSON): left out, and reported. */
export interface CutLine {
  /** The sessions file and the 1-based line. */
  file: string;
  line: number;
  /** Where the line starts in the file, in bytes, and its length. */
  offset: number;
  bytes: number;
}

export interface LoadedRun {
  dir: string;
  manifest: RunManifest;
  /** Every session on record, validated and in the current format, in plan order. */
  sessions: SessionRecord[];
  /** Set when the last line of the sessions file was cut short (a crash while writing it): that session is not in `sessions`. */
  cutLine?: CutLine;
}

/** The warning every command prints for a run whose last sessions line was cut short. */
export function cutLineWarning(cut: CutLine): string {
  return `${cut.file}:${cut.line}: the last line is cut short (${cut.bytes} bytes without a newline: the run stopped while writing it); that session is left out, and \`batchbench run --resume\` runs it again`;
}

const fail = (file: string, path: string, message: string): never => {
  throw new InputError([{ file, path, message }]);
};

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    return fail(file, '', `cannot be read: ${(e as Error).message}`);
  }
}

/** Bytes as UTF-8 text; an incomplete character at the very end is allowed when `cutEnd` (a line cut mid-write). Undefined when not UTF-8. */
function decode(bytes: Uint8Array, cutEnd: boolean): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cutEnd });
  } catch {
    return undefined;
  }
}

/** Raw control characters: never in JSON written by batchbench (JSON.stringify escapes them), always in binary data. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Reads and validates `run.json` of a run directory, migrated to the current format. */
export function readManifest(dir: string): RunManifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) fail(file, '', 'not found: is this a run directory?');
  const text = decode(readBytes(file), false);
  if (text === undefined || CONTROL.test(text)) return fail(file, '', 'is not UTF-8 JSON text (a binary file?)');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail(file, '', `not valid JSON: ${(e as Error).message}`);
  }
  const migrated = migrateManifest(raw, file);
  if ('issue' in migrated) throw new InputError([migrated.issue]);
  const { data, issues } = validateWith(manifestSchema, migrated.value, file);
  if (!data) throw new InputError(issues);
  return data;
}

/** The lines of `sessions.jsonl` (read a chunk at a time), or of `sessions.jsonl.gz` when only that exists; undefined when neither does. */
function sessionsLines(dir: string): { lines: Iterable<ByteLine>; file: string } | undefined {
  const plain = join(dir, SESSIONS_FILE);
  if (existsSync(plain)) return { lines: fileLines(plain), file: plain };
  const gz = join(dir, SESSIONS_GZ_FILE);
  if (!existsSync(gz)) return undefined;
  try {
    return { lines: bufferLines(gunzipSync(readBytes(gz), { maxOutputLength: MAX_SESSIONS_GZ_BYTES })), file: gz };
  } catch (e) {
    if (e instanceof InputError) throw e;
    return fail(gz, '', `cannot be read as gzip of at most ${MAX_SESSIONS_GZ_BYTES / 1024 / 1024} MiB: ${(e as Error).message}`);
  }
}

/**
 * A line's text; undefined when it is not UTF-8. A byte-order mark opens only
 * the file (line 1), and only a last line cut off without its newline may end
 * in an incomplete character (dropped).
 */
function lineText(l: ByteLine): string | undefined {
  if (!l.ended) {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: l.line !== 1 }).decode(l.bytes, { stream: true });
    } catch {
      return undefined;
    }
  }
  if (!isUtf8(l.bytes)) return undefined;
  const text = l.bytes.toString('utf8');
  return l.line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The record with its repeated texts shared: a model's text, each call's name,
 * arguments and result, and the final answer, which repeat from session to
 * session (the same tool results, the same answers) and would otherwise be
 * held once per line they appear on. `seen` maps each text to its first copy.
 */
export function shareText(s: SessionRecord, seen: Map<string, string>): SessionRecord {
  const share = (text: string): string => {
    const first = seen.get(text);
    if (first !== undefined) return first;
    seen.set(text, text);
    return text;
  };
  for (const t of s.turns) {
    t.text = share(t.text);
    for (const c of t.calls) {
      c.name = share(c.name);
      c.rawArgs = share(c.rawArgs);
      c.result = share(c.result);
    }
  }
  if (s.finalAnswer !== null) s.finalAnswer = share(s.finalAnswer);
  return s;
}

function validated(value: unknown, where: string): SessionRecord {
  const { data, issues } = validateWith(sessionLineSchema, value, where);
  if (!data) throw new InputError(issues);
  return data;
}

const notUtf8 = (file: string, l: ByteLine): never => fail(`${file}:${l.line}`, '', 'is not UTF-8 text: binary data, not a session record');

/**
 * Every session of a sessions file, each line validated in full. A line that
 * is not UTF-8 text, holds control characters, is not JSON, has a format this
 * batchbench does not read, breaks the schema or repeats a session key is an
 * InputError naming the file, the line and the field; a line that is not
 * UTF-8 is named first, wherever it is, as the file is binary data rather
 * than a run file with a bad record. Only the last line may be cut short (no
 * newline, not JSON, starting as a record does): it is left out and returned
 * as `cut`. Lines are read one at a time: memory holds the records, not the file.
 */
export function readSessionLines(lines: Iterable<ByteLine>, file: string): { sessions: SessionRecord[]; cut?: CutLine } {
  const sessions: SessionRecord[] = [];
  // Line (1-based) of each key: a key on two lines means two writers, or a resume that did not drop the line it ran again.
  const lineOf = new Map<string, number>();
  const seen = new Map<string, string>();
  let cut: CutLine | undefined;
  const rest = lines[Symbol.iterator]();
  let binary = false;
  try {
    for (let next = rest.next(); next.done !== true; next = rest.next()) {
      const l = next.value;
      const where = `${file}:${l.line}`;
      const line = lineText(l);
      if (line === undefined) {
        binary = true;
        return notUtf8(file, l);
      }
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        // JSON allows no control character but tab and CR, so only a line it refuses can hold one: looked for here.
        if (CONTROL.test(line)) fail(where, '', 'holds control characters: binary data, not a session record');
        if (!l.ended && line.startsWith('{')) {
          cut = { file, line: l.line, offset: l.offset, bytes: l.bytes.length };
          continue;
        }
        fail(where, '', `not valid JSON (${(e as Error).message}); every line of ${SESSIONS_FILE} is one session record`);
      }
      const migrated = migrateSession(value, where);
      if ('issue' in migrated) throw new InputError([migrated.issue]);
      // A line that passes the plain check is taken as parsed (zod's parse would only copy it); else zod names the field.
      const data = isSessionLine(migrated.value) ? (migrated.value as SessionRecord) : validated(migrated.value, where);
      const first = lineOf.get(data.key);
      if (first !== undefined) {
        fail(
          where,
          'key',
          `session "${data.key}" is already on line ${first}: the run file is corrupt (two processes wrote it?); keep one of the two lines, then \`batchbench run --resume\` runs what is missing`,
        );
      }
      lineOf.set(data.key, l.line);
      sessions.push(shareText(data, seen));
    }
  } catch (e) {
    // A line further on that is not UTF-8 outranks this error: the file is binary data.
    if (e instanceof InputError && !binary) {
      for (let next = rest.next(); next.done !== true; next = rest.next()) if (lineText(next.value) === undefined) notUtf8(file, next.value);
    }
    throw e;
  } finally {
    // Closes the file when an error stopped the reading early.
    rest.return?.();
  }
  return cut ? { sessions, cut } : { sessions };
}

/** `readSessionLines` of a sessions file already in memory. */
export function readSessions(bytes: Buffer, file: string): { sessions: SessionRecord[]; cut?: CutLine } {
  return readSessionLines(bufferLines(bytes), file);
}

/**
 * Reads a run directory: `run.json` and every session line, validated in full
 * and migrated to the current format (migrate.ts), sessions in plan order.
 * Every reader (reports, compare, budget, history, baseline save, merge,
 * resume) goes through here.
 */
export function readRun(dir: string): LoadedRun {
  const manifest = readManifest(dir);
  const read = sessionsLines(dir);
  const { sessions, cut } = read ? readSessionLines(read.lines, read.file) : { sessions: [], cut: undefined };
  sortInPlanOrder(sessions, manifest);
  return cut ? { dir, manifest, sessions, cutLine: cut } : { dir, manifest, sessions };
}

/**
 * The run a writer has just written, from the records it wrote (`SessionWriter`
 * with `keep`) instead of reading its sessions file back: the same run as
 * `readRun` would return for a sessions file this process wrote whole (no cut
 * line, nothing else in it), `run.json` read from disk.
 */
export function writtenRun(dir: string, sessions: SessionRecord[]): LoadedRun {
  const manifest = readManifest(dir);
  sortInPlanOrder(sessions, manifest);
  return { dir, manifest, sessions };
}

/** Sorts sessions into the run's matrix order (provider, variant, scenario, repeat), whatever order they finished in. */
export function sortInPlanOrder(sessions: SessionRecord[], manifest: RunManifest): void {
  const rank = (list: readonly string[]): Map<string, number> => new Map(list.map((id, i) => [id, i]));
  const providers = rank(manifest.config.providers.map((p) => p.id));
  const variants = rank(manifest.config.variants);
  const scenarios = rank(manifest.config.scenarios);
  const at = (m: Map<string, number>, id: string): number => m.get(id) ?? Number.MAX_SAFE_INTEGER;
  sessions.sort(
    (a, b) =>
      at(providers, a.provider.id) - at(providers, b.provider.id) ||
      at(variants, a.variantId) - at(variants, b.variantId) ||
      at(scenarios, a.scenarioId) - at(scenarios, b.scenarioId) ||
      a.repeat - b.repeat,
  );
}
