import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../harness/cli/io.js';
import { providerFactories } from '../../harness/providers/registry.js';
import type { RunManifest } from '../../harness/core/run-file/records.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { acquireRunLock, LOCK_FILE, RunLockedError } from '../../harness/core/run-file/run-lock.js';
import { slowFactory } from '../run/fixtures/slow-provider.js';
import { cli, fixtureRun, tempDir } from '../cli/helpers.js';

const SLOW_CLI = join(import.meta.dirname, '..', 'run', 'fixtures', 'slow-cli.ts');
// 1 provider x 2 variants x 3 scenarios x 4 repeats = 24 sessions; `slow:` model calls take 40 ms each.
const MATRIX = ['--provider', 'slow:ref:stochastic:0.6', '--repeats', '4', '--seed', '21'];

/** The real CLI in a child process, as a user would start it twice from two terminals. */
function child(args: readonly string[]): { pid: number; done: Promise<{ code: number | null; stderr: string }> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', SLOW_CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { pid: proc.pid as number, done: new Promise((resolve) => proc.once('exit', (code) => resolve({ code, stderr }))) };
}

const lines = (dir: string): string[] => readFileSync(join(dir, 'sessions.jsonl'), 'utf8').split('\n').filter((l) => l !== '');

/** Cuts a finished run back to its first `keep` sessions, as an interruption leaves it. */
function cutBack(dir: string, keep: number): void {
  writeFileSync(join(dir, 'sessions.jsonl'), `${lines(dir).slice(0, keep).join('\n')}\n`);
  const m = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunManifest;
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...m, state: 'interrupted', sessionsWritten: keep }));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('one writer per run directory', () => {
  let out: string;
  const before = providerFactories['slow'];
  beforeAll(() => {
    // In this process `slow:` answers at once; the child processes (slow-cli.ts) wait 40 ms per model call.
    providerFactories['slow'] = slowFactory(0);
    out = tempDir('lock');
  });
  afterAll(() => {
    if (before) providerFactories['slow'] = before;
    else delete providerFactories['slow'];
  });

  it('two concurrent run --resume of one interrupted run: one proceeds, the other exits 2 naming the holder', async () => {
    const made = await fixtureRun(out, 'twice', MATRIX);
    expect(made.code).toBe(0);
    const dir = made.dir;
    cutBack(dir, 2);
    // 22 sessions of about 4 model calls of 40 ms, one at a time: the first to hold the lock writes for seconds.
    const a = child(['run', '--resume', dir, '--concurrency', '1', '--quiet']);
    const b = child(['run', '--resume', dir, '--concurrency', '1', '--quiet']);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const codes = [ra.code, rb.code].sort();
    expect(codes).toEqual([0, 2]);
    const [winner, loser] = ra.code === 0 ? [a, rb] : [b, ra];
    expect(loser.stderr).toContain(`error: ${dir} is being written by batchbench run (pid ${winner.pid} on host ${hostname()}, since `);
    const all = lines(dir);
    expect(all).toHaveLength(24);
    expect(new Set(all.map((l) => (JSON.parse(l) as { key: string }).key)).size).toBe(24);
    expect(readRun(dir).manifest).toMatchObject({ state: 'finished', sessionsWritten: 24 });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 30_000);

  it('takes over the lock of a dead process on this host, saying so', async () => {
    const made = await fixtureRun(out, 'stale', MATRIX);
    cutBack(made.dir, 20);
    const pid = deadPid();
    writeFileSync(join(made.dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), since: '2026-01-02T03:04:05.000Z', command: 'run', token: 't' }));
    const r = await cli(['run', '--resume', made.dir, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`taking over the lock of ${made.dir}: batchbench run (pid ${pid} on host ${hostname()}, since 2026-01-02T03:04:05.000Z) is no longer running`);
    expect(lines(made.dir)).toHaveLength(24);
    expect(existsSync(join(made.dir, LOCK_FILE))).toBe(false);
  });

  it('never takes over a lock from another host, nor one of a live process', async () => {
    const made = await fixtureRun(out, 'foreign', MATRIX);
    cutBack(made.dir, 20);
    const file = join(made.dir, LOCK_FILE);
    const foreign = JSON.stringify({ pid: 4242, host: 'build-7.example', since: '2026-01-02T03:04:05.000Z', command: 'run', token: 't' });
    writeFileSync(file, foreign);
    const r = await cli(['run', '--resume', made.dir, '--quiet']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(`is being written by batchbench run (pid 4242 on host build-7.example, since 2026-01-02T03:04:05.000Z); a lock from another host is never taken over: if that process is gone, remove ${file} and try again`);
    expect(readFileSync(file, 'utf8')).toBe(foreign);
    expect(lines(made.dir)).toHaveLength(20);

    // This very process holds it: alive, so refused; released, the resume goes through.
    unlinkSync(file);
    const held = acquireRunLock(made.dir, { command: 'merge' });
    expect(() => acquireRunLock(made.dir)).toThrow(RunLockedError);
    const busy = await cli(['run', '--resume', made.dir, '--quiet']);
    expect(busy.code).toBe(EXIT.usage);
    expect(busy.err).toContain(`is being written by batchbench merge (pid ${process.pid} on host ${hostname()}`);
    held.release();
    expect(existsSync(file)).toBe(false);
    expect((await cli(['run', '--resume', made.dir, '--quiet'])).code).toBe(0);
    expect(lines(made.dir)).toHaveLength(24);
  });

  it('merge writes its run directory under the lock', async () => {
    const shards = join(out, 'shards');
    for (const i of [1, 2]) expect((await fixtureRun(shards, `s${i}`, [...MATRIX, '--shard', `${i}/2`])).code).toBe(0);
    const merged = join(out, 'merged');
    const held = acquireRunLock(merged);
    const r = await cli(['merge', shards, '--out', merged]);
    held.release();
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(`${merged} is being written by batchbench run (pid ${process.pid}`);
    expect(existsSync(join(merged, 'run.json'))).toBe(false);
    const ok = await cli(['merge', shards, '--out', merged]);
    expect(ok.code).toBe(0);
    expect(lines(merged)).toHaveLength(24);
    expect(existsSync(join(merged, LOCK_FILE))).toBe(false);
  });

  it('report regenerates the reports of a run under the lock, never while another writer holds it', async () => {
    const made = await fixtureRun(out, 'reported', MATRIX);
    const held = acquireRunLock(made.dir);
    const busy = await cli(['report', made.dir]);
    expect(busy.code).toBe(EXIT.usage);
    expect(busy.err).toContain(`${made.dir} is being written by batchbench run (pid ${process.pid}`);
    held.release();
    const ok = await cli(['report', made.dir]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`wrote ${join(made.dir, 'summary.csv')}`);
    expect(existsSync(join(made.dir, LOCK_FILE))).toBe(false);
  });
});
