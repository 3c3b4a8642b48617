import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FileWriteError, InputError, isEnvironmentError } from '../errors.js';
import { displayPath, validateWith } from '../input-files.js';
import { conforms } from './conforms.js';
import { MANIFEST_FILE, SESSIONS_FILE, shareText } from './read-run.js';
import type { RunManifest, SessionRecord } from './records.js';
import { isSessionLine, manifestSchema, sessionLineSchema } from './schema.js';

export { cutLineWarning, MANIFEST_FILE, MAX_SESSIONS_GZ_BYTES, readManifest, readRun, readSessions, SESSIONS_FILE, SESSIONS_GZ_FILE, sortInPlanOrder, writtenRun, type CutLine, type LoadedRun } from './read-run.js';

/**
 * Throws when `value` breaks the schema: a writer never writes a record the
 * readers would refuse (a bug, or bad data from an imported trace, is caught
 * where it is made, naming the field). `passes` decides without zod's parse,
 * whose output (a copy of the record) a writer has no use for; a record it
 * does not pass goes to zod, which names the field.
 */
function assertValid(schema: typeof manifestSchema | typeof sessionLineSchema, value: unknown, passes: boolean, where: string): void {
  if (passes) return;
  const { issues } = validateWith(schema, value, where);
  if (issues.length > 0) throw new InputError(issues.map((i) => ({ ...i, message: `${i.message} (not written: readers would refuse it)` })));
}

/** A write that failed because of the machine, as the error naming the file; anything else as it was. */
function writeFailure(e: unknown, file: string): unknown {
  return isEnvironmentError(e) ? new FileWriteError(file, displayPath(file), e) : e;
}

/** Writes `run.json` atomically (temp file, then rename); on a failed write the temp file goes and run.json stays as it was. */
export function writeManifest(dir: string, manifest: RunManifest): void {
  assertValid(manifestSchema, manifest, conforms(manifestSchema, manifest), join(dir, MANIFEST_FILE));
  const file = join(dir, MANIFEST_FILE);
  const tmp = `${file}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(e, file);
  }
}

/**
 * Appends session records to `sessions.jsonl`, one `write` per line, so a crash
 * or a kill leaves every finished session as a complete line on disk.
 *
 * With `keep`, it also holds the records it wrote (`kept`), each as it reads
 * back from its line (repeated texts shared, as `readRun` does), so the run
 * that just wrote them need not read its file back; `kept` is undefined when
 * the file held lines before (they would be missing from it).
 */
export class SessionWriter {
  readonly #fd: number;
  readonly #file: string;
  readonly #seen = new Map<string, string>();
  written = 0;
  readonly kept: SessionRecord[] | undefined;

  constructor(dir: string, options: { keep?: boolean } = {}) {
    this.#file = join(dir, SESSIONS_FILE);
    try {
      mkdirSync(dir, { recursive: true });
      this.#fd = openSync(this.#file, 'a');
    } catch (e) {
      throw writeFailure(e, this.#file);
    }
    if (options.keep === true && fstatSync(this.#fd).size === 0) this.kept = [];
  }

  write(record: SessionRecord): void {
    assertValid(sessionLineSchema, record, isSessionLine(record), `${this.#file} (session ${record.key})`);
    const line = JSON.stringify(record);
    try {
      writeSync(this.#fd, `${line}\n`);
    } catch (e) {
      throw writeFailure(e, this.#file);
    }
    this.written += 1;
    if (this.kept !== undefined) {
      // The record as its line reads back: compact, with JSON's view of every field.
      this.kept.push(shareText(JSON.parse(line) as SessionRecord, this.#seen));
    }
  }

  close(): void {
    try {
      fsyncSync(this.#fd);
    } catch (e) {
      throw writeFailure(e, this.#file);
    } finally {
      closeSync(this.#fd);
    }
  }
}

/**
 * Rewrites `sessions.jsonl` keeping only the lines whose session key passes
 * `keep` (lines that are not JSON are kept as they are), crash-safely: a temp
 * file in the run directory, fsync, rename over the old file, fsync of the
 * directory. A crash leaves either the old file or the new one, never a mix.
 */
export function rewriteSessions(dir: string, keep: (key: string) => boolean): number {
  const file = join(dir, SESSIONS_FILE);
  if (!existsSync(file)) return 0;
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  const kept = lines.filter((line) => {
    try {
      const key = (JSON.parse(line) as { key?: unknown }).key;
      return typeof key !== 'string' || keep(key);
    } catch {
      return true;
    }
  });
  if (kept.length === lines.length) return 0;
  const tmp = join(dir, `${SESSIONS_FILE}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    if (kept.length > 0) writeSync(fd, `${kept.join('\n')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDir(dir);
  return lines.length - kept.length;
}

/** Makes a rename in `dir` durable (not supported on every platform: then a no-op). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Directories cannot be opened or synced here (e.g. Windows).
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
