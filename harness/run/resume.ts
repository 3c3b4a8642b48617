import { existsSync, openSync, closeSync, ftruncateSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunManifest } from '../records.js';
import { MANIFEST_FILE, readRun, SESSIONS_FILE } from './run-files.js';
import { configDifferences } from './same-config.js';

/** A run directory opened to be continued by `run --resume`. */
export interface ResumeState {
  dir: string;
  manifest: RunManifest;
  /** Keys of the sessions already in `sessions.jsonl`: they are kept and not run again. */
  done: Set<string>;
  /** Bytes of a line cut by a crash that were dropped from the end of `sessions.jsonl`. */
  droppedBytes: number;
}

/**
 * Opens a run directory to continue it. Every complete line of
 * `sessions.jsonl` is a finished session and is kept; a last line without its
 * newline (the process died while writing it) is cut off, so appending starts
 * on a fresh line and that session runs again.
 */
export function openResume(dir: string): ResumeState {
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new UsageError(`--resume ${dir}: no ${MANIFEST_FILE} there; give a directory written by \`batchbench run\``);
  const droppedBytes = cutPartialLine(join(dir, SESSIONS_FILE));
  const run = readRun(dir);
  return { dir, manifest: run.manifest, done: new Set(run.sessions.map((s) => s.key)), droppedBytes };
}

function cutPartialLine(file: string): number {
  if (!existsSync(file)) return 0;
  const text = readFileSync(file);
  if (text.length === 0 || text[text.length - 1] === 0x0a) return 0;
  const keep = text.lastIndexOf(0x0a) + 1;
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, keep);
  } finally {
    closeSync(fd);
  }
  return text.length - keep;
}

/** Throws a usage error naming every difference when `fresh` does not describe the matrix of the run being resumed. */
export function assertResumable(state: ResumeState, fresh: RunManifest): void {
  const diffs = configDifferences(state.manifest, fresh, ['the run', 'now']);
  if (diffs.length > 0) {
    throw new UsageError(`cannot resume ${state.dir}: its configuration differs from this one:\n  ${diffs.join('\n  ')}\nstart a new run instead, or restore the files the run used`);
  }
}

/** Carries the run's identity over to the manifest of its continuation. */
export function continueManifest(fresh: RunManifest, state: ResumeState): void {
  fresh.startedAt = state.manifest.startedAt;
  fresh.resumedAt = [...(state.manifest.resumedAt ?? []), new Date().toISOString()];
}
