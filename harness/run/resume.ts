import { existsSync, openSync, closeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { RunManifest } from '../core/run-file/records.js';
import { MANIFEST_FILE, readRun, rewriteSessions, SESSIONS_FILE, type CutLine } from '../core/run-file/run-files.js';
import { configDifferences } from '../core/run-file/same-config.js';

/** A run directory opened to be continued by `run --resume`. */
export interface ResumeState {
  dir: string;
  manifest: RunManifest;
  /** Keys of the sessions kept from `sessions.jsonl`: they are not run again. */
  done: Set<string>;
  /** Keys of the errored and skipped sessions that run again (their lines are dropped first, see `dropRerun`). */
  rerun: { errored: string[]; skipped: string[] };
  /** Errored and skipped sessions kept as they are (`--keep-errored`). */
  kept: { errored: number; skipped: number };
  /** The last line of `sessions.jsonl`, cut short by a crash, that was dropped (its session runs again). */
  droppedLine?: CutLine;
}

export interface ResumeOptions {
  /** Keep errored and skipped sessions as they are instead of running them again. */
  keepErrored?: boolean;
}

/** Throws a usage error when `dir` holds no run to continue. */
export function assertRunDir(dir: string): void {
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new UsageError(`--resume ${dir}: no ${MANIFEST_FILE} there; give a directory written by \`batchbench run\``);
}

/**
 * Opens a run directory to continue it. The run file is read with full
 * validation (a corrupt line stops the resume, naming file, line and field);
 * every line is a session on record, except a last line cut short by a crash,
 * which is cut off, so appending starts on a fresh line and that session runs
 * again. Errored and skipped sessions are to run again unless `keepErrored`.
 */
export function openResume(dir: string, options: ResumeOptions = {}): ResumeState {
  assertRunDir(dir);
  const run = readRun(dir);
  if (run.cutLine) dropCutLine(run.cutLine, join(dir, SESSIONS_FILE));
  const rerun = { errored: [] as string[], skipped: [] as string[] };
  const kept = { errored: 0, skipped: 0 };
  const done = new Set<string>();
  for (const s of run.sessions) {
    const retry = s.status === 'errored' || s.status === 'skipped';
    if (retry && !options.keepErrored) {
      rerun[s.status].push(s.key);
      continue;
    }
    if (s.status === 'errored' || s.status === 'skipped') kept[s.status] += 1;
    done.add(s.key);
  }
  return { dir, manifest: run.manifest, done, rerun, kept, ...(run.cutLine ? { droppedLine: run.cutLine } : {}) };
}

/** Drops the lines of the sessions that run again from `sessions.jsonl` (crash-safe rewrite), so no key is left twice. */
export function dropRerun(state: ResumeState): void {
  const keys = new Set([...state.rerun.errored, ...state.rerun.skipped]);
  if (keys.size > 0) rewriteSessions(state.dir, (key) => !keys.has(key));
}

/** Truncates `sessions.jsonl` before its cut last line (found and checked by `readRun`). */
function dropCutLine(cut: CutLine, file: string): void {
  if (cut.file !== file) throw new UsageError(`--resume: ${cut.file} is cut short and there is no ${SESSIONS_FILE} to continue; resume the run directory \`batchbench run\` wrote`);
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, cut.offset);
  } finally {
    closeSync(fd);
  }
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
