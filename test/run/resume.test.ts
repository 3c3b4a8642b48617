import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { providerFactories } from '../../harness/providers/registry.js';
import type { RunManifest } from '../../harness/core/run-file/records.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { PROJECT } from '../helpers.js';
import { slowFactory } from './fixtures/slow-provider.js';
import { cli, comparable, fixtureRun, INPUTS, tempDir } from '../cli/helpers.js';

const SLOW_CLI = join(import.meta.dirname, 'fixtures', 'slow-cli.ts');
// 1 provider x 2 variants x 3 scenarios x 4 repeats = 24 sessions.
const MATRIX = ['--provider', 'slow:ref:stochastic:0.6', '--repeats', '4', '--seed', '21'];

/** Runs the real CLI in a child process (with the `slow:` provider prefix) until it exits; `onLines` may signal it. */
function child(args: readonly string[], onProgress?: (kill: (signal: NodeJS.Signals) => void) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SLOW_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  void onProgress?.((signal) => proc.kill(signal));
  return exited.then((code) => ({ code, stdout, stderr }));
}

const lineCount = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length : 0);

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe('run --resume', () => {
  let out: string;
  let whole: string;
  const before = providerFactories['slow'];
  beforeAll(async () => {
    providerFactories['slow'] = slowFactory(0);
    out = tempDir('resume');
    const r = await fixtureRun(out, 'whole', MATRIX);
    expect(r.code).toBe(0);
    whole = r.dir;
  });
  afterAll(() => {
    if (before) providerFactories['slow'] = before;
    else delete providerFactories['slow'];
  });

  it('SIGINT stops the run, writes reports, prints the resume command and exits 130; resuming gives the uninterrupted run', async () => {
    const dir = join(out, 'cut');
    const sessions = join(dir, 'sessions.jsonl');
    const first = await child(['run', ...INPUTS, ...MATRIX, '--concurrency', '2', '--out', out, '--run-id', 'cut'], async (kill) => {
      await until(() => lineCount(sessions) >= 5);
      kill('SIGINT');
    });
    expect(first.stderr).toContain('stopping');
    expect(first.code).toBe(130);
    // The run directory's lock went with the process.
    expect(existsSync(join(dir, '.lock'))).toBe(false);
    const cut = readRun(dir);
    expect(cut.manifest.state).toBe('interrupted');
    expect(cut.sessions.length).toBeGreaterThanOrEqual(5);
    expect(cut.sessions.length).toBeLessThan(24);
    // Sessions in flight were abandoned: listed as interrupted, not written as results.
    const interrupted = cut.manifest.interrupted ?? [];
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    expect(interrupted.length).toBeLessThanOrEqual(2);
    expect(interrupted.filter((k) => cut.sessions.some((s) => s.key === k))).toEqual([]);
    expect(existsSync(join(dir, 'summary.csv'))).toBe(true);
    expect(first.stdout).toContain(`run cut: ${cut.sessions.length}/24 sessions`);

    const printed = /resume with: (batchbench run --resume .*)$/m.exec(first.stderr)?.[1];
    expect(printed).toBe(`batchbench run --resume ${dir} --concurrency 2`);
    const second = await child([...(printed as string).split(' ').slice(1), '--quiet']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);

    const resumed = readRun(dir);
    const reference = readRun(whole);
    expect(resumed.manifest).toMatchObject({ state: 'finished', sessionsPlanned: 24, sessionsWritten: 24, startedAt: cut.manifest.startedAt });
    expect(resumed.manifest.resumedAt).toHaveLength(1);
    expect(resumed.manifest.interrupted).toBeUndefined();
    expect(resumed.cutLine).toBeUndefined();
    // No session lost or duplicated, and each equals the uninterrupted run's.
    expect(resumed.sessions.map((s) => s.key)).toEqual(reference.sessions.map((s) => s.key));
    expect(new Set(resumed.sessions.map((s) => s.key)).size).toBe(24);
    const metrics = (s: (typeof resumed.sessions)[number]): unknown => ({ ...sessionMetrics(s), realMs: 0 });
    expect(resumed.sessions.map(metrics)).toEqual(reference.sessions.map(metrics));
    expect(resumed.sessions.map((s) => comparable({ ...s, runId: 'x' }))).toEqual(reference.sessions.map((s) => comparable({ ...s, runId: 'x' })));
    // The reports written after the resume show the uninterrupted run's figures (real time aside).
    const summary = (d: string): Record<string, string>[] =>
      (parse(readFileSync(join(d, 'summary.csv')), { columns: true }) as Record<string, string>[]).map((row) =>
        Object.fromEntries(Object.entries(row).filter(([k]) => !k.endsWith('real_ms'))),
      );
    expect(summary(dir)).toEqual(summary(whole));
  });

  it('SIGTERM (a cancelled CI job) stops the run the same way', async () => {
    const dir = join(out, 'term');
    const sessions = join(dir, 'sessions.jsonl');
    const r = await child(['run', ...INPUTS, ...MATRIX, '--concurrency', '2', '--out', out, '--run-id', 'term', '--quiet'], async (kill) => {
      await until(() => lineCount(sessions) >= 3);
      kill('SIGTERM');
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`resume with: batchbench run --resume ${dir}`);
    const run = readRun(dir);
    expect(run.manifest.state).toBe('interrupted');
    expect(run.sessions.length + (run.manifest.interrupted?.length ?? 0)).toBeLessThan(24);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });

  it('drops a last line cut by a crash and runs that session again', async () => {
    const dir = join(out, 'crashed');
    cpSync(whole, dir, { recursive: true });
    const lines = readFileSync(join(dir, 'sessions.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    // Keep 20 whole lines and half of the 21st, as a kill during a write leaves them.
    writeFileSync(join(dir, 'sessions.jsonl'), `${lines.slice(0, 20).join('\n')}\n`);
    appendFileSync(join(dir, 'sessions.jsonl'), (lines[20] as string).slice(0, 100));
    const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunManifest;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...manifest, state: 'interrupted', sessionsWritten: 20 }));
    const r = await cli(['run', '--resume', dir, '--quiet']);
    expect(r.code).toBe(0);
    const run = readRun(dir);
    expect(run.cutLine).toBeUndefined();
    expect(run.sessions.map((s) => s.key)).toEqual(readRun(whole).sessions.map((s) => s.key));
    expect(run.manifest).toMatchObject({ state: 'finished', sessionsWritten: 24 });
  });

  it('finds the files of a run made elsewhere with --scenarios and --prompts, by id and hash', async () => {
    const made = tempDir('made-here');
    cpSync(PROJECT, made, { recursive: true });
    const r = await cli(['run', '--scenarios', join(made, 'scenarios'), '--prompts', join(made, 'prompts'), ...MATRIX, '--out', out, '--run-id', 'moved', '--quiet']);
    expect(r.code).toBe(0);
    const dir = join(out, 'moved');
    const lines = readFileSync(join(dir, 'sessions.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(join(dir, 'sessions.jsonl'), `${lines.slice(0, 10).join('\n')}\n`);
    const m = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunManifest;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...m, state: 'interrupted', sessionsWritten: 10 }));
    // The checkout moved: the recorded paths are gone.
    const elsewhere = tempDir('checked-out-there');
    cpSync(made, elsewhere, { recursive: true });
    rmSync(made, { recursive: true });
    const lost = await cli(['run', '--resume', dir, '--quiet']);
    expect(lost.code).toBe(2);
    expect(lost.err).toContain('chain.yaml');
    const moved = await cli(['run', '--resume', dir, '--scenarios', join(elsewhere, 'scenarios'), '--prompts', join(elsewhere, 'prompts'), '--quiet']);
    expect(moved.code).toBe(0);
    expect(readRun(dir).sessions.map((s) => comparable({ ...s, runId: 'x' }))).toEqual(readRun(whole).sessions.map((s) => comparable({ ...s, runId: 'x' })));
    const partial = await cli(['run', '--resume', dir, '--scenarios', join(elsewhere, 'scenarios', 'chain.yaml')]);
    expect(partial.code).toBe(2);
    expect(partial.err).toContain('has no valid file for "t-diamond", "t-fan-out"');
  });

  it('resuming a finished run runs nothing', async () => {
    const dir = join(out, 'done');
    cpSync(whole, dir, { recursive: true });
    const before = readFileSync(join(dir, 'sessions.jsonl'), 'utf8');
    expect((await cli(['run', '--resume', dir, '--quiet'])).code).toBe(0);
    expect(readFileSync(join(dir, 'sessions.jsonl'), 'utf8')).toBe(before);
  });

  it('refuses flags that would change the matrix, and files that changed since the run', async () => {
    const flag = await cli(['run', '--resume', whole, '--seed', '5', '--repeats', '2']);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('drop --repeats, --seed');

    const project = tempDir('resume-project');
    cpSync(PROJECT, project, { recursive: true });
    const r = await cli(['run', '--scenarios', join(project, 'scenarios'), '--prompts', join(project, 'prompts'), ...MATRIX, '--out', out, '--run-id', 'edited', '--quiet']);
    expect(r.code).toBe(0);
    const file = join(project, 'scenarios', 'chain.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Edited'));
    const edited = await cli(['run', '--resume', join(out, 'edited')]);
    expect(edited.code).toBe(2);
    expect(edited.err).toMatch(/cannot resume .*edited: its configuration differs[\s\S]*scenario "t-chain" differs/);

    expect((await cli(['run', '--resume', join(out, 'nothing-here')])).err).toContain('no run.json there');
  });
});
