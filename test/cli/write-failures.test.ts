import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FileWriteError, isEnvironmentError } from '../../harness/core/errors.js';
import { readRun, SessionWriter, writeManifest } from '../../harness/core/run-file/run-files.js';
import { main } from '../../harness/cli/program.js';
import { captureIO } from '../helpers.js';

// /dev/full takes no byte: every write to it fails with ENOSPC, as on a full disk.
const FULL = '/dev/full';
const ROOT = join(import.meta.dirname, '..', '..');
const INPUTS = ['--scenarios', join(ROOT, 'scenarios', 'travel-weather-cities.yaml'), '--prompts', join(ROOT, 'prompts', 'baseline.md')];

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bb-full-'));
  onTestFinished(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

describe('a file that cannot be written (a full disk)', () => {
  it('knows the machine\'s failures from batchbench\'s', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect([isEnvironmentError(enospc), isEnvironmentError(Object.assign(new Error('x'), { code: 'EACCES' })), isEnvironmentError(new Error('plain')), isEnvironmentError(Object.assign(new Error('y'), { code: 'ENOENT' }))]).toEqual([true, true, false, false]);
    expect(new FileWriteError('/r/sessions.jsonl', 'r/sessions.jsonl', enospc).message).toBe('cannot write r/sessions.jsonl: ENOSPC: no space left on device, write');
  });

  it.runIf(existsSync(FULL))('the run file writers name the file; run.json is left as it was, with no temp file', () => {
    const d = dir();
    symlinkSync(FULL, join(d, 'sessions.jsonl'));
    const writer = new SessionWriter(d);
    const record = JSON.parse(gunzipSync(readFileSync(join(ROOT, 'test', 'fixtures', 'perf-run', 'sessions.jsonl.gz'))).toString('utf8').split('\n')[0] as string) as Parameters<SessionWriter['write']>[0];
    expect(() => writer.write(record)).toThrow(new FileWriteError(join(d, 'sessions.jsonl'), join(d, 'sessions.jsonl'), Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })).message);
    const m = dir();
    mkdirSync(join(m, 'run'));
    symlinkSync(FULL, join(m, 'run', 'run.json.tmp'));
    const err = ((): unknown => {
      try {
        writeManifest(join(m, 'run'), JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'perf-run', 'run.json'), 'utf8')));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(FileWriteError);
    expect((err as Error).message).toMatch(/^cannot write .*run\.json: ENOSPC: no space left on device/);
    expect(readdirSync(join(m, 'run'))).toEqual([]);
  });

  it.runIf(existsSync(FULL))('run: exit 1 naming sessions.jsonl and the resume command, no stack trace; run.json records the stop', async () => {
    const out = dir();
    mkdirSync(join(out, 'r'));
    symlinkSync(FULL, join(out, 'r', 'sessions.jsonl'));
    const io = captureIO();
    expect(await main(['run', ...INPUTS, '-p', 'ref:optimal', '-r', '1', '--quiet', '--out', out, '--run-id', 'r'], io)).toBe(1);
    expect(io.stderr).toEqual([
      `error: cannot write ${join(out, 'r', 'sessions.jsonl')}: ENOSPC: no space left on device, write`,
      `the sessions finished before it are kept in ${join(out, 'r')}; once there is room: batchbench run --resume ${join(out, 'r')}`,
    ]);
    expect(JSON.parse(readFileSync(join(out, 'r', 'run.json'), 'utf8'))).toMatchObject({ state: 'interrupted', sessionsWritten: 0 });
  });

  it.runIf(existsSync(FULL))('run and report: a report that cannot be written is named, with the command that writes it again', async () => {
    const out = dir();
    const io = captureIO();
    expect(await main(['run', ...INPUTS, '-p', 'ref:optimal', '-r', '1', '--quiet', '--out', out, '--run-id', 'r'], io)).toBe(0);
    const run = join(out, 'r');
    expect(readRun(run).sessions).toHaveLength(1);
    rmSync(join(run, 'summary.md'));
    symlinkSync(FULL, join(run, 'summary.md'));
    const report = captureIO();
    expect(await main(['report', run], report)).toBe(1);
    expect(report.stderr).toEqual([`error: cannot write the markdown report in ${run}: ENOSPC: no space left on device, write`]);
  });
});
