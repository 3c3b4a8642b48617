import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../harness/cli/io.js';
import { runExitCode, runTrouble } from '../../harness/cli/run-outcome.js';
import { InputError } from '../../harness/core/errors.js';
import { providerFactories } from '../../harness/providers/registry.js';
import { isMeasured } from '../../harness/core/run-file/records.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { cli, fixtureRun, tempDir } from '../cli/helpers.js';
import { faultyFactory, type Fault } from './fixtures/faulty-provider.js';

// Fixture project: 2 variants x 3 scenarios, 1 repeat = 6 sessions per provider.
const KEY_MESSAGE = 'HTTP 401 (the API refused the key in FAKE_KEY)';
const state: { fault: Fault | undefined; calls: number } = { fault: undefined, calls: 0 };
const lines = (dir: string): string[] => readFileSync(join(dir, 'sessions.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
const keysOf = (ls: string[]): string[] => ls.map((l) => (JSON.parse(l) as { key: string }).key);

describe('a provider that cannot work stops being scheduled', () => {
  let out: string;
  const before = providerFactories['faulty'];
  beforeAll(() => {
    providerFactories['faulty'] = faultyFactory(state);
    out = tempDir('halt');
  });
  afterAll(() => {
    if (before) providerFactories['faulty'] = before;
    else delete providerFactories['faulty'];
  });

  /** A run where faulty:ref:optimal refuses the key on its first call, beside ref:sequential; concurrency 1 so the order is fixed. */
  async function haltedRun(runId: string): Promise<Awaited<ReturnType<typeof fixtureRun>>> {
    state.fault = { halts: 'auth', message: KEY_MESSAGE };
    state.calls = 0;
    const r = await fixtureRun(out, runId, ['--provider', 'faulty:ref:optimal', '--provider', 'ref:sequential', '--concurrency', '1', '--repeats', '1']);
    state.fault = undefined;
    return r;
  }

  it('records the sessions not started as skipped, lets the other provider finish, says so on stderr and exits 3', async () => {
    const r = await haltedRun('halted');
    expect(r.code).toBe(EXIT.errored);
    // Only the first session's one model call reached the halted provider.
    expect(state.calls).toBe(1);
    const run = readRun(r.dir);
    expect(run.manifest).toMatchObject({ state: 'finished', sessionsPlanned: 12, sessionsWritten: 12 });
    const count = (provider: string, status: string): number => run.sessions.filter((s) => s.provider.id === provider && s.status === status).length;
    expect(count('faulty:ref:optimal', 'errored')).toBe(1);
    expect(count('faulty:ref:optimal', 'skipped')).toBe(5);
    expect(count('ref:sequential', 'completed')).toBe(6);
    const errored = run.sessions.find((s) => s.status === 'errored');
    expect(errored).toMatchObject({ key: 'faulty:ref:optimal|plain|t-chain|1', error: { class: 'ProviderError', message: KEY_MESSAGE, halts: 'auth' } });
    const skipped = run.sessions.find((s) => s.key === 'faulty:ref:optimal|together|t-fan-out|1');
    expect(skipped).toMatchObject({
      status: 'skipped',
      reason: `not run: faulty:ref:optimal halted after ${KEY_MESSAGE}`,
      turns: [],
      finalAnswer: null,
      success: { passed: false },
      provider: { id: 'faulty:ref:optimal', kind: 'reference' },
      virtualMs: 0,
    });
    expect(run.sessions.filter(isMeasured)).toHaveLength(6);

    const err = r.err.split('\n');
    expect(err).toContain(`faulty:ref:optimal halted: ${KEY_MESSAGE}; its sessions not yet started are recorded as skipped`);
    const at = err.indexOf('1 of 12 sessions errored:');
    expect(err.slice(at, at + 5)).toEqual([
      '1 of 12 sessions errored:',
      `  1 ProviderError: ${KEY_MESSAGE}`,
      '5 of 12 sessions skipped:',
      `  5 not run: faulty:ref:optimal halted after ${KEY_MESSAGE}`,
      `run them again with: batchbench run --resume ${r.dir} --concurrency 1`,
    ]);
    // The reports were written from a run holding skipped records.
    expect(r.out).toContain('report.html');
  });

  it('run --resume runs the errored and skipped sessions again and leaves one line per key', async () => {
    const r = await haltedRun('retried');
    const kept = lines(r.dir).filter((l) => l.includes('"ref:sequential|'));
    expect(kept).toHaveLength(6);
    const again = await cli(['run', '--resume', r.dir, '--quiet']);
    expect(again.code).toBe(EXIT.ok);
    expect(again.err).toContain(`rerunning 1 errored and 5 skipped session(s) of ${r.dir}`);
    expect(again.err).not.toContain('sessions errored');
    const after = lines(r.dir);
    expect(after).toHaveLength(12);
    expect(new Set(keysOf(after)).size).toBe(12);
    // The rewrite went through a temp file renamed over sessions.jsonl: none is left behind.
    expect(existsSync(join(r.dir, 'sessions.jsonl.tmp'))).toBe(false);
    // The sessions that were fine are kept byte for byte, not run again.
    expect(after.filter((l) => l.includes('"ref:sequential|'))).toEqual(kept);
    const run = readRun(r.dir);
    expect(run.sessions.filter(isMeasured)).toHaveLength(12);
    expect(run.manifest).toMatchObject({ state: 'finished', sessionsWritten: 12 });
  });

  it('run --resume --keep-errored keeps them as they are and still exits 3', async () => {
    const r = await haltedRun('kept');
    const before = readFileSync(join(r.dir, 'sessions.jsonl'), 'utf8');
    state.calls = 0;
    const again = await cli(['run', '--resume', r.dir, '--keep-errored', '--quiet']);
    expect(again.code).toBe(EXIT.errored);
    expect(again.err).toContain('keeping 1 errored and 5 skipped session(s) as they are (--keep-errored)');
    expect(state.calls).toBe(0);
    expect(readFileSync(join(r.dir, 'sessions.jsonl'), 'utf8')).toBe(before);
  });

  it('refuses a sessions.jsonl holding one key twice, naming file and line', async () => {
    const r = await haltedRun('twice');
    const dir = join(out, 'twice-copy');
    cpSync(r.dir, dir, { recursive: true });
    const second = lines(dir)[1] as string;
    appendFileSync(join(dir, 'sessions.jsonl'), `${second}\n`);
    const key = (JSON.parse(second) as { key: string }).key;
    expect(() => readRun(dir)).toThrow(InputError);
    expect(() => readRun(dir)).toThrow(`${join(dir, 'sessions.jsonl')}:13: key: session "${key}" is already on line 2`);
    const report = await cli(['report', dir]);
    expect(report.code).toBe(EXIT.usage);
    expect(report.err).toContain(`sessions.jsonl:13: key: session "${key}" is already on line 2`);
    const resume = await cli(['run', '--resume', dir, '--quiet']);
    expect(resume.code).toBe(EXIT.usage);

    // A skipped line must say why it was skipped.
    const noReason = join(out, 'no-reason');
    cpSync(r.dir, noReason, { recursive: true });
    const ls = lines(noReason).map((l) => {
      const { reason: _reason, ...rest } = JSON.parse(l) as { reason?: string };
      return JSON.stringify(rest);
    });
    writeFileSync(join(noReason, 'sessions.jsonl'), `${ls.join('\n')}\n`);
    expect(() => readRun(noReason)).toThrow(/no-reason\/sessions\.jsonl:\d+: reason: required field is missing \(expected string\)/);
  });
});

describe('--max-error-rate', () => {
  let out: string;
  const before = providerFactories['faulty'];
  beforeAll(() => {
    providerFactories['faulty'] = faultyFactory(state);
    out = tempDir('max-error');
  });
  afterAll(() => {
    if (before) providerFactories['faulty'] = before;
    else delete providerFactories['faulty'];
  });

  // t-chain errors (not a halting error) in both variants: 2 of 6 sessions errored, a share of 1/3.
  const flaky = async (runId: string, extra: string[]): ReturnType<typeof fixtureRun> => {
    state.fault = { scenarios: ['t-chain'], message: 'boom on t-chain' };
    try {
      return await fixtureRun(out, runId, ['--provider', 'faulty:ref:sequential', '--repeats', '1', ...extra]);
    } finally {
      state.fault = undefined;
    }
  };

  it('exits 3 by default, 0 within the tolerated share, 3 above it; the stderr summary prints each time', async () => {
    const strict = await flaky('strict', []);
    expect(strict.code).toBe(EXIT.errored);
    expect(strict.err.split('\n')).toEqual(expect.arrayContaining(['2 of 6 sessions errored:', '  2 ProviderError: boom on t-chain']));
    expect(readRun(strict.dir).sessions.filter((s) => s.status === 'errored')).toHaveLength(2);

    const tolerated = await flaky('tolerated', ['--max-error-rate', '0.5']);
    expect(tolerated.code).toBe(EXIT.ok);
    expect(tolerated.err).toContain('2 of 6 sessions errored:');
    expect(tolerated.err).toContain('errored share 0.333 is within --max-error-rate 0.5: exit 0');

    const above = await flaky('above', ['--max-error-rate', '0.3']);
    expect(above.code).toBe(EXIT.errored);
    expect(above.err).not.toContain('is within --max-error-rate');

    // The config file's max_error_rate stands in for the flag; the flag wins over it.
    const config = join(out, 'tolerant.yaml');
    writeFileSync(config, 'max_error_rate: 0.5\n');
    const fromConfig = await flaky('from-config', ['--config', config]);
    expect(fromConfig.code).toBe(EXIT.ok);
    expect(fromConfig.err).toContain('errored share 0.333 is within max_error_rate 0.5: exit 0');
    expect((await flaky('flag-wins', ['--config', config, '--max-error-rate', '0'])).code).toBe(EXIT.errored);
  });

  it('refuses a rate outside 0..1 and --keep-errored without --resume', async () => {
    const bad = await cli(['run', '--max-error-rate', '1.5', '--out', out]);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.err).toContain('--max-error-rate must be a fraction from 0 to 1 (e.g. 0.05), got "1.5"');
    const keep = await cli(['run', '--keep-errored', '--out', out]);
    expect(keep.code).toBe(EXIT.usage);
    expect(keep.err).toContain('--keep-errored applies only with --resume');
  });

  it('an interruption wins over errored sessions; skipped sessions fail whatever the tolerated share', () => {
    const sessions = (statuses: string[]): Parameters<typeof runTrouble>[0] =>
      statuses.map((status) => ({ status, error: { class: 'E', message: 'm' }, reason: 'r' })) as unknown as Parameters<typeof runTrouble>[0];
    expect(runExitCode(runTrouble(sessions(['errored', 'completed'])), true, 0)).toBe(130);
    expect(runExitCode(runTrouble(sessions(['errored', 'completed'])), false, 0.5)).toBe(0);
    expect(runExitCode(runTrouble(sessions(['skipped', 'completed', 'completed'])), false, 1)).toBe(3);
    expect(runExitCode(runTrouble(sessions(['completed'])), false, 0)).toBe(0);
  });
});
