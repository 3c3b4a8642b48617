import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';
import { validateWith } from '../input-files.js';
import { RUN_FORMAT_VERSION, type RunManifest, type SessionRecord } from './records.js';
import { manifestSchema, sessionLineSchema } from './schema.js';

export const MANIFEST_FILE = 'run.json';
export const SESSIONS_FILE = 'sessions.jsonl';
/** The sessions gzipped, as `baseline save` stores them; read when `sessions.jsonl` is absent. */
export const SESSIONS_GZ_FILE = 'sessions.jsonl.gz';
/** Largest text a gzipped sessions file may expand to: far above a real run, far below what would exhaust the process. */
export const MAX_SESSIONS_GZ_BYTES = 512 * 1024 * 1024;

/** The text of `sessions.jsonl`, or of `sessions.jsonl.gz` when only that exists; undefined when neither does. */
function sessionsText(dir: string): { text: string; file: string } | undefined {
  const plain = join(dir, SESSIONS_FILE);
  if (existsSync(plain)) return { text: readFileSync(plain, 'utf8'), file: plain };
  const gz = join(dir, SESSIONS_GZ_FILE);
  if (!existsSync(gz)) return undefined;
  try {
    return { text: gunzipSync(readFileSync(gz), { maxOutputLength: MAX_SESSIONS_GZ_BYTES }).toString('utf8'), file: gz };
  } catch (e) {
    throw new InputError([{ file: gz, path: '', message: `cannot be read as gzip of at most ${MAX_SESSIONS_GZ_BYTES / 1024 / 1024} MiB: ${(e as Error).message}` }]);
  }
}

/** Writes `run.json` atomically (temp file, then rename). */
export function writeManifest(dir: string, manifest: RunManifest): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${MANIFEST_FILE}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, join(dir, MANIFEST_FILE));
}

/**
 * Appends session records to `sessions.jsonl`, one `write` per line, so a crash
 * or a kill leaves every finished session as a complete line on disk.
 */
export class SessionWriter {
  readonly #fd: number;
  written = 0;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#fd = openSync(join(dir, SESSIONS_FILE), 'a');
  }

  write(record: SessionRecord): void {
    writeSync(this.#fd, `${JSON.stringify(record)}\n`);
    this.written += 1;
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

export interface LoadedRun {
  dir: string;
  manifest: RunManifest;
  sessions: SessionRecord[];
  /** Lines of `sessions.jsonl` that could not be parsed (e.g. a line cut by a crash). */
  skippedLines: number;
}

/** Reads a run directory: the manifest and every complete session line. */
export function readRun(dir: string): LoadedRun {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw new InputError([{ file: manifestPath, path: '', message: 'not found: is this a run directory?' }]);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new InputError([{ file: manifestPath, path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== RUN_FORMAT_VERSION) {
    throw new InputError([{ file: manifestPath, path: 'formatVersion', message: `format ${String(version)} is not supported (this batchbench reads ${RUN_FORMAT_VERSION})` }]);
  }
  const checked = validateWith(manifestSchema, raw, manifestPath);
  if (!checked.data) throw new InputError(checked.issues);
  const manifest = raw as RunManifest;
  const read = sessionsText(dir);
  const sessionsPath = read?.file ?? join(dir, SESSIONS_FILE);
  const sessions: SessionRecord[] = [];
  let skippedLines = 0;
  if (read !== undefined) {
    const lines = read.text.split('\n');
    // Line (1-based) of each key: a key on two lines means two writers, or a resume that did not drop the line it ran again.
    const lineOf = new Map<string, number>();
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        // A line cut short by a crash or a kill: the sessions before it are whole.
        skippedLines += 1;
        return;
      }
      const { data, issues } = validateWith(sessionLineSchema, value, `${sessionsPath}:${i + 1}`);
      if (!data) throw new InputError(issues);
      const first = lineOf.get(data.key);
      if (first !== undefined) {
        throw new InputError([
          {
            file: `${sessionsPath}:${i + 1}`,
            path: 'key',
            message: `session "${data.key}" is already on line ${first}: the run file is corrupt (two processes wrote it?); keep one of the two lines, then \`batchbench run --resume\` runs what is missing`,
          },
        ]);
      }
      lineOf.set(data.key, i + 1);
      sessions.push(value as SessionRecord);
    });
  }
  sortInPlanOrder(sessions, manifest);
  return { dir, manifest, sessions, skippedLines };
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
