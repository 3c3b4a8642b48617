import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { RUN_FORMAT_VERSION, type RunManifest, type SessionRecord } from '../records.js';

export const MANIFEST_FILE = 'run.json';
export const SESSIONS_FILE = 'sessions.jsonl';

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
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as RunManifest;
  } catch (e) {
    throw new InputError([{ file: manifestPath, path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  if (manifest.formatVersion !== RUN_FORMAT_VERSION) {
    throw new InputError([{ file: manifestPath, path: 'formatVersion', message: `format ${String(manifest.formatVersion)} is not supported (this batchbench reads ${RUN_FORMAT_VERSION})` }]);
  }
  const sessionsPath = join(dir, SESSIONS_FILE);
  const sessions: SessionRecord[] = [];
  let skippedLines = 0;
  if (existsSync(sessionsPath)) {
    for (const line of readFileSync(sessionsPath, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        sessions.push(JSON.parse(line) as SessionRecord);
      } catch {
        skippedLines += 1;
      }
    }
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
