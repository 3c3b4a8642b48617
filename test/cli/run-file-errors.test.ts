import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { cli, fixtureRun, tempDir } from './helpers.js';

// 1 provider x 2 variants x 3 scenarios x 2 repeats = 12 sessions; two shards of 6.
const MATRIX = ['--provider', 'ref:optimal', '--repeats', '2'];

type Corruption = (file: string, lines: readonly string[]) => { line: number; says: string };

/** Ways a sessions file can be corrupt, each with the line and the words the error must name. */
const CORRUPTIONS: Record<string, Corruption> = {
  'a garbage line': (file, lines) => {
    writeFileSync(file, `${[lines[0], 'garbage', ...lines.slice(1)].join('\n')}\n`);
    return { line: 2, says: 'not valid JSON' };
  },
  'a binary file': (file) => {
    writeFileSync(file, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]));
    return { line: 1, says: 'binary data, not a session record' };
  },
  'a duplicated session': (file, lines) => {
    writeFileSync(file, `${[lines[0], lines[1], lines[0], ...lines.slice(2)].join('\n')}\n`);
    return { line: 3, says: `key: session "${(JSON.parse(lines[0] as string) as { key: string }).key}" is already on line 1` };
  },
  'a line that breaks the schema': (file, lines) => {
    const bad = { ...(JSON.parse(lines[1] as string) as object), status: 'done' };
    writeFileSync(file, `${[lines[0], JSON.stringify(bad), ...lines.slice(2)].join('\n')}\n`);
    return { line: 2, says: "status: Invalid discriminator value. Expected 'completed'" };
  },
};

/** The commands that read a run, each given the corrupt run directory `bad` (whose sessions file is corrupt). */
const READERS: Record<string, (ctx: { bad: string; good: string; work: string; shard: string }) => string[]> = {
  report: ({ bad }) => ['report', bad],
  compare: ({ bad, good, work }) => ['compare', good, bad, '--out', join(work, 'cmp')],
  budget: ({ bad }) => ['budget', bad],
  history: ({ work }) => ['history', join(work, 'runs'), '--out', join(work, 'hist')],
  'baseline save': ({ bad, work }) => ['baseline', 'save', bad, '--baselines', join(work, 'baselines')],
  merge: ({ bad, shard, work }) => ['merge', shard, bad, '--out', join(work, 'merged')],
  'run --resume': ({ bad }) => ['run', '--resume', bad, '--quiet'],
};

describe('every reader of a run refuses a corrupt sessions file with exit 2, naming file, line and field', () => {
  let out: string;
  let good: string;
  let shards: [string, string];
  beforeAll(async () => {
    out = tempDir('corrupt');
    good = (await fixtureRun(out, 'good', MATRIX)).dir;
    const s1 = await fixtureRun(join(out, 'shards'), 's1', [...MATRIX, '--shard', '1/2']);
    const s2 = await fixtureRun(join(out, 'shards'), 's2', [...MATRIX, '--shard', '2/2']);
    expect([s1.code, s2.code]).toEqual([0, 0]);
    shards = [s1.dir, s2.dir];
  });

  /** A copy of the run to corrupt (for merge: of shard 2) in its own work directory; `runs/` holds it for history. */
  function corruptCopy(reader: string, name: string): { bad: string; work: string; file: string; lines: string[] } {
    const work = tempDir('reader');
    const bad = join(work, 'runs', name.replaceAll(' ', '-'));
    mkdirSync(join(work, 'runs'), { recursive: true });
    cpSync(reader === 'merge' ? shards[1] : good, bad, { recursive: true });
    const file = join(bad, 'sessions.jsonl');
    return { bad, work, file, lines: readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') };
  }

  for (const reader of Object.keys(READERS)) {
    for (const [name, corrupt] of Object.entries(CORRUPTIONS)) {
      it(`${reader}: ${name}`, async () => {
        const { bad, work, file, lines } = corruptCopy(reader, name);
        const { line, says } = corrupt(file, lines);
        const r = await cli((READERS[reader] as (typeof READERS)[string])({ bad, good, work, shard: shards[0] }));
        expect(r.code).toBe(2);
        expect(r.err).toContain(`${file}:${line}: `);
        expect(r.err).toContain(says);
        expect(r.err).not.toMatch(/\n\s+at /);
      });
    }
  }

  it('run --resume on a corrupt run.json: the file and the field, exit 2, no stack trace', async () => {
    const work = tempDir('resume-manifest');
    const dir = join(work, 'r');
    cpSync(good, dir, { recursive: true });
    const manifest = join(dir, 'run.json');
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.slice(0, 200));
    const cut = await cli(['run', '--resume', dir]);
    expect(cut.code).toBe(2);
    expect(cut.err).toMatch(new RegExp(`^${manifest.replaceAll('/', '\\/')}: not valid JSON: `));
    writeFileSync(manifest, text.replace('"state": "finished"', '"state": "paused"'));
    const state = await cli(['run', '--resume', dir]);
    expect(state.code).toBe(2);
    expect(state.err).toBe(`${manifest}: state: Invalid option: expected one of "running"|"finished"|"interrupted"`);
    writeFileSync(manifest, text.replace('"repeats": 2', '"repeats": "2"'));
    const repeats = await cli(['run', '--resume', dir]);
    expect(repeats.code).toBe(2);
    expect(repeats.err).toBe(`${manifest}: config.repeats: Invalid input: expected number, received string`);
  });
});

describe('a last line cut by a crash is left out and reported', () => {
  let out: string;
  let good: string;
  let cut: string;
  let whole: number;
  let warning: string;
  beforeAll(async () => {
    out = tempDir('cut-line');
    good = (await fixtureRun(out, 'good', MATRIX)).dir;
    cut = join(out, 'runs', 'cut');
    cpSync(good, cut, { recursive: true });
    const file = join(cut, 'sessions.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    whole = lines.length - 1;
    writeFileSync(file, `${lines.slice(0, whole).join('\n')}\n${(lines[whole] as string).slice(0, 120)}`);
    warning = `warning: ${file}:12: the last line is cut short (120 bytes without a newline: the run stopped while writing it); that session is left out, and \`batchbench run --resume\` runs it again`;
  });

  it('report, budget, compare, history and baseline save read the whole lines and print the warning', async () => {
    expect(whole).toBe(11);
    const report = await cli(['report', cut]);
    expect([report.code, report.err]).toEqual([0, warning]);
    expect(readFileSync(join(cut, 'sessions.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 11);
    const budget = await cli(['budget', cut]);
    expect([budget.code, budget.err]).toEqual([0, warning]);
    expect(budget.out).toContain('(11 sessions)');
    const compare = await cli(['compare', cut, cut, '--out', join(out, 'cmp')]);
    expect(compare.code).toBe(0);
    expect(compare.err).toBe([warning, warning].join('\n'));
    const history = await cli(['history', join(out, 'runs'), '--out', join(out, 'hist')]);
    expect([history.code, history.err]).toEqual([0, warning]);
    const save = await cli(['baseline', 'save', cut, '--name', 'cut', '--baselines', join(out, 'b')]);
    expect([save.code, save.err]).toEqual([0, warning]);
    expect(save.out).toContain('(11 sessions)');
    const saved = readRun(join(out, 'b', 'cut'));
    expect([saved.sessions.length, saved.cutLine]).toEqual([11, undefined]);
  });

  it('merge refuses a shard with a cut last line', async () => {
    const shards = join(out, 'cut-shards');
    for (const i of [1, 2]) expect((await fixtureRun(shards, `s${i}`, [...MATRIX, '--shard', `${i}/2`])).code).toBe(0);
    appendFileSync(join(shards, 's2', 'sessions.jsonl'), '{"formatVersion":2,"runId":"s2","key":"ref:opt');
    const r = await cli(['merge', join(shards, 's1'), join(shards, 's2'), '--out', join(out, 'merged')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(shards, 's2', 'sessions.jsonl')}:7 is cut short (the shard stopped while writing it); finish it with \`batchbench run --resume ${join(shards, 's2')}\``);
    expect(existsSync(join(out, 'merged', 'run.json'))).toBe(false);
  });

  it('run --resume drops the cut line, says so, and runs that session again', async () => {
    const dir = join(out, 'resumed');
    cpSync(cut, dir, { recursive: true });
    const file = join(dir, 'sessions.jsonl');
    const r = await cli(['run', '--resume', dir, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`warning: ${file}:12: dropped the last line, cut short (120 bytes without a newline: the run stopped while writing it); that session runs again`);
    const run = readRun(dir);
    expect(run.cutLine).toBeUndefined();
    expect(run.sessions.map((s) => s.key)).toEqual(readRun(good).sessions.map((s) => s.key));
  });
});
