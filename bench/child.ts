import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './lib.js';

/** One measured child process: wall time, and (for node children) CPU time and peak RSS. */
export interface ChildRun {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
}

/**
 * Runs `node <args>` (or `command args` when `command` is given) with bench/rss-on-exit.mjs preloaded,
 * from `cwd`; throws when it exits non-zero.
 */
export function runChild(root: string, args: readonly string[], opts: { command?: string; cwd?: string } = {}): ChildRun {
  const dir = mkdtempSync(join(tmpdir(), 'bb-bench-usage-'));
  const usageFile = join(dir, 'usage.json');
  const preload = `--import=${join(root, 'bench', 'rss-on-exit.mjs')}`;
  const command = opts.command ?? process.execPath;
  const started = performance.now();
  const r = spawnSync(command, opts.command ? [...args] : [preload, ...args], {
    cwd: opts.cwd ?? root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BB_BENCH_USAGE: usageFile, ...(opts.command ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${preload}`.trim() } : {}) },
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  let usage = { maxRssKb: 0, cpuUs: 0 };
  try {
    usage = JSON.parse(readFileSync(usageFile, 'utf8')) as typeof usage;
  } catch {
    // a child that wrote nothing (e.g. npm) reports wall time only
  }
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, cpuMs: usage.cpuUs / 1000, rssMb: usage.maxRssKb / 1024 };
}

/** `runs` measured children; medians of each figure, with the wall-time spread. */
export function medianChild(runs: number, f: () => ChildRun): ChildRun & { spread: string } {
  return medianOf(Array.from({ length: runs }, f));
}

/** Medians of each figure of measured children, with the wall-time spread. */
export function medianOf(all: readonly ChildRun[]): ChildRun & { spread: string } {
  const runs = all.length;
  const walls = all.map((r) => r.wallMs / 1000);
  return {
    wallMs: median(all.map((r) => r.wallMs)),
    cpuMs: median(all.map((r) => r.cpuMs)),
    rssMb: median(all.map((r) => r.rssMb)),
    spread: `min ${Math.min(...walls).toFixed(2)} / max ${Math.max(...walls).toFixed(2)} s, n=${runs}`,
  };
}
