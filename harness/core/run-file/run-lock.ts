import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

export const LOCK_FILE = '.lock';

/** What a lock file holds: who writes the run directory, since when. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** The command holding it (`run`, `merge`). */
  command: string;
  /** Unique per acquisition, so a takeover can tell one holder from another. */
  token: string;
}

/** An exclusive hold on a run directory; `release` is idempotent. */
export interface RunLock {
  readonly dir: string;
  readonly holder: LockHolder;
  release(): void;
}

/** Another live process writes the run directory. The CLI exits 2 on it. */
export class RunLockedError extends UsageError {
  readonly holder: LockHolder | undefined;

  constructor(message: string, holder?: LockHolder) {
    super(message);
    this.holder = holder;
  }
}

export interface LockOptions {
  /** Command named in the lock file (default `run`). */
  command?: string;
  /** Where to say that a stale lock was taken over (default: nowhere). */
  log?: (line: string) => void;
}

/**
 * Takes the exclusive write lock of a run directory: `<dir>/.lock`, created with
 * O_EXCL and holding pid, host and start time as JSON. A lock of a dead process
 * on this host is taken over (said through `log`); a live one, or one from
 * another host, is refused with a `RunLockedError` naming the holder. The lock
 * is removed by `release`, and on process exit (e.g. a second Ctrl-C) if still held.
 */
export function acquireRunLock(dir: string, options: LockOptions = {}): RunLock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: options.command ?? 'run', token: randomUUID() };
  const text = `${JSON.stringify(holder)}\n`;
  // A stale lock taken over in one round leaves the next to create ours.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, text)) return held(dir, file, holder);
    const seen = readHolder(file);
    if (seen === 'gone') continue;
    if (seen === 'unreadable') {
      throw new RunLockedError(`${dir} is locked by ${file}, which cannot be read; if no batchbench is writing this run directory, remove that file and try again`);
    }
    if (seen.host !== holder.host) {
      throw new RunLockedError(`${dir} is being written by ${describe(seen)}; a lock from another host is never taken over: if that process is gone, remove ${file} and try again`, seen);
    }
    if (isAlive(seen.pid)) throw new RunLockedError(`${dir} is being written by ${describe(seen)}; wait for it to end, or stop it first`, seen);
    if (takeOver(file, seen)) options.log?.(`taking over the lock of ${dir}: ${describe(seen)} is no longer running`);
  }
  const last = readHolder(file);
  throw new RunLockedError(`${dir} is being written by ${typeof last === 'object' ? describe(last) : 'another process'}`, typeof last === 'object' ? last : undefined);
}

function describe(h: LockHolder): string {
  return `batchbench ${h.command} (pid ${h.pid} on host ${h.host}, since ${h.since})`;
}

function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The holder in a lock file; a file being written this instant is read again a few times before it counts as unreadable. */
function readHolder(file: string): LockHolder | 'gone' | 'unreadable' {
  for (let i = 0; i < 5; i++) {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw e;
    }
    const parsed = parseHolder(raw);
    if (parsed) return parsed;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  return 'unreadable';
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LockHolder> | null;
    if (v && typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.since === 'string') {
      return { pid: v.pid, host: v.host, since: v.since, command: typeof v.command === 'string' ? v.command : 'run', token: typeof v.token === 'string' ? v.token : '' };
    }
  } catch {
    // Not (yet) whole JSON.
  }
  return undefined;
}

/** Whether a process of this host is running (a process of another user counts as running). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Moves the stale lock aside with one atomic rename and checks it was the one
 * judged stale: if another process took it over in between, its lock is put
 * back (link fails rather than overwrite) and nothing is taken.
 */
function takeOver(file: string, stale: LockHolder): boolean {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const moved = parseHolder(readFileSync(aside, 'utf8'));
  const same = moved !== undefined && moved.pid === stale.pid && moved.host === stale.host && moved.token === stale.token && moved.since === stale.since;
  if (!same) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone else holds the directory now; the next attempt reports them.
    }
  }
  unlinkSync(aside);
  return same;
}

function held(dir: string, file: string, holder: LockHolder): RunLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Remove only our own lock: never one a later process took over.
    const now = readHolderOnce(file);
    if (now?.token === holder.token) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    }
  };
  process.on('exit', release);
  return { dir, holder, release };
}

function readHolderOnce(file: string): LockHolder | undefined {
  try {
    return parseHolder(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
