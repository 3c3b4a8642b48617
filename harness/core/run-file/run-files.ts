import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { validateWith } from '../input-files.js';
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

/** Writes `run.json` atomically (temp file, then rename). */
export function writeManifest(dir: string, manifest: RunManifest): void {
  assertValid(manifestSchema, manifest, conforms(manifestSchema, manifest), join(dir, MANIFEST_FILE));
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${MANIFEST_FILE}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, join(dir, MANIFEST_FILE));
}

/** Not a value `JSON.parse` could return: `jsonCopy` met something JSON would write differently. */
const NOT_JSON = Symbol('not JSON');

/**
 * `value` as `JSON.parse(JSON.stringify(value))` would rebuild it, built
 * without the text: strings are kept (not copied), arrays and plain objects
 * are new, with exactly their fields. NOT_JSON when `value` holds anything
 * JSON would write differently (undefined, -0, a number that is not finite, a
 * non-plain object, a `toJSON`), where the caller parses the text instead.
 * Copied rather than kept, as a record built by a session holds arrays with
 * room to grow and objects each with their own shape, where parsed ones are compact.
 */
function jsonCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : NOT_JSON;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const copy: unknown[] = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i += 1) {
          const item = jsonCopy(value[i]);
          if (item === NOT_JSON) return NOT_JSON;
          copy[i] = item;
        }
        return copy;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return NOT_JSON;
      const fields = value as Record<string, unknown>;
      if (typeof fields['toJSON'] === 'function') return NOT_JSON;
      const copy: Record<string, unknown> = {};
      for (const k in fields) {
        if (!Object.hasOwn(fields, k)) continue;
        const field = jsonCopy(fields[k]);
        if (field === NOT_JSON) return NOT_JSON;
        copy[k] = field;
      }
      return copy;
    }
    default:
      return NOT_JSON;
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
    mkdirSync(dir, { recursive: true });
    this.#file = join(dir, SESSIONS_FILE);
    this.#fd = openSync(this.#file, 'a');
    if (options.keep === true && fstatSync(this.#fd).size === 0) this.kept = [];
  }

  write(record: SessionRecord): void {
    assertValid(sessionLineSchema, record, isSessionLine(record), `${this.#file} (session ${record.key})`);
    const line = JSON.stringify(record);
    writeSync(this.#fd, `${line}\n`);
    this.written += 1;
    if (this.kept !== undefined) {
      const copy = jsonCopy(record);
      this.kept.push(shareText((copy === NOT_JSON ? JSON.parse(line) : copy) as SessionRecord, this.#seen));
    }
  }

  close(): void {
    fsyncSync(this.#fd);
    closeSync(this.#fd);
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
