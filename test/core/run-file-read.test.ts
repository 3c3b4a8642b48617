import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, type InputIssue } from '../../harness/core/errors.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { readRun, SessionWriter, writeManifest } from '../../harness/core/run-file/run-files.js';
import { tempDir } from '../cli/helpers.js';

const V1 = join(import.meta.dirname, '..', 'fixtures', 'v1-run');

/** The issues `readRun(dir)` throws (it must throw an InputError). */
function issuesOf(dir: string): readonly InputIssue[] {
  try {
    readRun(dir);
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error(`${dir} read without error`);
}

/** A format-2 run of the 12 sessions of the format-1 fixture, written by today's writers; returns its directory and its lines. */
function freshRun(name: string): { dir: string; file: string; lines: string[] } {
  const v1 = readRun(V1);
  const dir = join(tempDir('run-file'), name);
  writeManifest(dir, v1.manifest);
  const writer = new SessionWriter(dir);
  for (const s of v1.sessions) writer.write(s);
  writer.close();
  const file = join(dir, 'sessions.jsonl');
  return { dir, file, lines: readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') };
}

/** `lines` written back with line `n` (1-based) replaced by `edit` of its record. */
function withLine(file: string, lines: readonly string[], n: number, edit: (s: Record<string, unknown>) => unknown): void {
  const out = lines.map((l, i) => (i === n - 1 ? JSON.stringify(edit(JSON.parse(l) as Record<string, unknown>)) : l));
  writeFileSync(file, `${out.join('\n')}\n`);
}

describe('reading a run file: every line is validated', () => {
  let run: ReturnType<typeof freshRun>;
  beforeAll(() => {
    run = freshRun('v2');
  });

  it('a run written by today\'s writers reads back as it was written, in format 2', () => {
    const read = readRun(run.dir);
    expect(read.manifest.formatVersion).toBe(2);
    expect(read.sessions).toHaveLength(12);
    expect(read.cutLine).toBeUndefined();
    expect(read.sessions.map((s) => JSON.stringify(s))).toEqual(run.lines);
  });

  it('a garbage line in the middle is an error naming the file and the line', () => {
    const lines = [...run.lines];
    lines.splice(2, 0, 'this is not a session');
    writeFileSync(run.file, `${lines.join('\n')}\n`);
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:3`, path: '', message: expect.stringMatching(/^not valid JSON \(.*\); every line of sessions\.jsonl is one session record$/) }]);
  });

  it('a binary file is an error on its first line, even without a newline (it is no cut line)', () => {
    writeFileSync(run.file, Buffer.from([0x7b, 0x00, 0x01, 0xff, 0xfe, 0x42]));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:1`, path: '', message: 'is not UTF-8 text: binary data, not a session record' }]);
    writeFileSync(run.file, `${run.lines[0]}\n{"\u0000\u0001\u0002`);
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:2`, path: '', message: 'holds control characters: binary data, not a session record' }]);
    writeFileSync(run.file, Buffer.concat([Buffer.from(`${run.lines[0]}\n`), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from(`${run.lines[1]}\n`)]));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:2`, path: '', message: 'is not UTF-8 text: binary data, not a session record' }]);
  });

  it('a line that is not UTF-8 is named before a bad record above it: the file is binary data', () => {
    writeFileSync(run.file, Buffer.concat([Buffer.from(`${run.lines[0]}\nthis is not a session\n${run.lines[1]}\n`), Buffer.from([0xc3, 0x28, 0x0a])]));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:4`, path: '', message: 'is not UTF-8 text: binary data, not a session record' }]);
  });

  it('lines longer than a read chunk and a cut line past the first chunk read as written', () => {
    // Records of about 1.5 MB each: lines span chunks of the reader, and start inside them.
    const big = run.lines.slice(0, 4).map((l) => JSON.stringify({ ...(JSON.parse(l) as object), finalAnswer: `é${'x'.repeat(1_500_000)}` }));
    writeFileSync(run.file, `${big.join('\n')}\n`);
    expect(readRun(run.dir).sessions.map((s) => JSON.stringify(s))).toEqual(big);
    const whole = readFileSync(run.file).length;
    appendFileSync(run.file, Buffer.from(big[0] as string).subarray(0, 1_200_000));
    const read = readRun(run.dir);
    expect(read.sessions).toHaveLength(4);
    expect(read.cutLine).toEqual({ file: run.file, line: 5, offset: whole, bytes: 1_200_000 });
  });

  it('a byte-order mark opens the file only: on a later line it is no whitespace', () => {
    writeFileSync(run.file, `\ufeff${run.lines[0]}\n${run.lines[1]}\n`);
    expect(readRun(run.dir).sessions).toHaveLength(2);
    writeFileSync(run.file, `${run.lines[0]}\n\ufeff${run.lines[1]}\n`);
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:2`, path: '', message: expect.stringMatching(/^not valid JSON/) }]);
  });

  it('a session key on two lines is an error naming both lines', () => {
    writeFileSync(run.file, `${[run.lines[0], run.lines[1], run.lines[0]].join('\n')}\n`);
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:3`, path: 'key', message: expect.stringContaining('session "ref:optimal|baseline|coding-pr-prep|1" is already on line 1') }]);
  });

  it('a line that breaks the schema is an error naming the line and the field', () => {
    withLine(run.file, run.lines, 2, (s) => ({ ...s, status: 'done' }));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:2`, path: 'status', message: "Invalid discriminator value. Expected 'completed' | 'failed' | 'budget-exceeded' | 'errored' | 'skipped'" }]);
    withLine(run.file, run.lines, 4, (s) => {
      const turns = s['turns'] as { usage: Record<string, unknown> }[];
      (turns[0] as { usage: Record<string, unknown> }).usage['inputTokens'] = -1;
      return s;
    });
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:4`, path: 'turns.0.usage.inputTokens', message: 'Too small: expected number to be >=0' }]);
    withLine(run.file, run.lines, 1, (s) => ({ ...s, sucess: true }));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:1`, path: 'sucess', message: 'unknown field (misspelled?)' }]);
    withLine(run.file, run.lines, 1, ({ optimalTurns: _o, ...s }) => s);
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:1`, path: 'optimalTurns', message: 'required field is missing (expected number)' }]);
    withLine(run.file, run.lines, 1, (s) => ({ ...s, repeat: 2 }));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:1`, path: 'key', message: 'is "ref:optimal|baseline|coding-pr-prep|1", but provider, variant, scenario and repeat make "ref:optimal|baseline|coding-pr-prep|2"' }]);
  });

  it('strategy data is typed: a field of the wrong type, or data of another strategy, is an error', () => {
    // Line 11: plan-execute on coding-pr-prep.
    withLine(run.file, run.lines, 11, (s) => {
      (s['extra'] as { plan: Record<string, unknown> }).plan['adherence'] = 'all';
      return s;
    });
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:11`, path: 'extra.plan.adherence', message: 'Invalid input: expected number, received string' }]);
    // Line 1: the plain loop, which has no budget.
    withLine(run.file, run.lines, 1, (s) => ({ ...s, extra: { budget: { maxTurns: 5, maxToolCallsPerTurn: 5 } } }));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:1`, path: 'extra.budget', message: 'is data of the budgeted strategy, but the session ran loop' }]);
    withLine(run.file, run.lines, 1, (s) => ({ ...s, extra: { notes: 'hand-written' } }));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:1`, path: 'extra.notes', message: 'unknown field (misspelled?)' }]);
  });

  it('a format this batchbench does not read is an error naming formatVersion', () => {
    withLine(run.file, run.lines, 5, (s) => ({ ...s, formatVersion: 3 }));
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:5`, path: 'formatVersion', message: '3: this batchbench reads formats 1 and 2 (a run file of a newer batchbench, or not a run file?)' }]);
    writeFileSync(run.file, '[1, 2]\n');
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:1`, path: '', message: 'is a list, not a JSON object' }]);
  });

  it('only a cut last line (no newline, not JSON) is left out, and reported with where it starts', () => {
    writeFileSync(run.file, `${run.lines.slice(0, 5).join('\n')}\n`);
    const whole = readFileSync(run.file).length;
    // Cut after the first byte of a two-byte character: still a cut line.
    const cut = Buffer.from(run.lines[5] as string).subarray(0, 40);
    appendFileSync(run.file, Buffer.concat([cut, Buffer.from([0xc2])]));
    const read = readRun(run.dir);
    expect(read.sessions.map((s) => s.key)).toEqual(run.lines.slice(0, 5).map((l) => (JSON.parse(l) as SessionRecord).key));
    expect(read.cutLine).toEqual({ file: run.file, line: 6, offset: whole, bytes: 41 });
    // A last line with its newline is a whole line: a broken character or unparsable text in it is an error.
    appendFileSync(run.file, '\n');
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:6`, path: '', message: 'is not UTF-8 text: binary data, not a session record' }]);
    writeFileSync(run.file, `${run.lines.slice(0, 5).join('\n')}\n${cut.toString('utf8')}\n`);
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:6`, path: '', message: expect.stringMatching(/^not valid JSON/) }]);
    // A last line that does not start as a record does is garbage too.
    writeFileSync(run.file, `${run.lines.slice(0, 5).join('\n')}\nGARBAGE`);
    expect(issuesOf(run.dir)).toEqual([{ file: `${run.file}:6`, path: '', message: expect.stringMatching(/^not valid JSON/) }]);
    // A whole record without its newline is read.
    writeFileSync(run.file, run.lines.slice(0, 5).join('\n'));
    expect(readRun(run.dir)).toMatchObject({ sessions: { length: 5 } });
    expect(readRun(run.dir).cutLine).toBeUndefined();
  });

  it('run.json: not JSON, binary, a missing field or an unknown format is an error naming the file and the field', () => {
    const dir = freshRun('manifest').dir;
    const file = join(dir, 'run.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{"formatVersion": 2, ');
    expect(issuesOf(dir)).toEqual([{ file, path: '', message: expect.stringMatching(/^not valid JSON: /) }]);
    writeFileSync(file, Buffer.from([0x00, 0x9f, 0x92, 0x96]));
    expect(issuesOf(dir)).toEqual([{ file, path: '', message: 'is not UTF-8 JSON text (a binary file?)' }]);
    const m = JSON.parse(good) as { config: Record<string, unknown> };
    delete m.config['seed'];
    writeFileSync(file, JSON.stringify(m));
    expect(issuesOf(dir)).toEqual([{ file, path: 'config.seed', message: 'required field is missing (expected number)' }]);
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(good) as object), formatVersion: 9 }));
    expect(issuesOf(dir)).toEqual([{ file, path: 'formatVersion', message: '9: this batchbench reads formats 1 and 2 (a run file of a newer batchbench, or not a run file?)' }]);
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(good) as object), state: 'paused' }));
    expect(issuesOf(dir)).toEqual([{ file, path: 'state', message: expect.stringContaining('expected one of "running"|"finished"|"interrupted"') }]);
  });

  it('the writers refuse a record readers would refuse, naming the field', () => {
    const dir = tempDir('writer');
    const [first] = readRun(V1).sessions;
    if (!first) throw new Error('empty fixture');
    const writer = new SessionWriter(dir);
    try {
      expect(() => writer.write({ ...first, virtualMs: Number.NaN })).toThrow(/sessions\.jsonl \(session ref:optimal\|baseline\|coding-pr-prep\|1\): virtualMs: .*not written: readers would refuse it/);
    } finally {
      writer.close();
    }
    expect(readFileSync(join(dir, 'sessions.jsonl'), 'utf8')).toBe('');
  });
});
