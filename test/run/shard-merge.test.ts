import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { cli, comparable, fixtureRun, tempDir } from '../cli/helpers.js';

// 2 providers x 2 variants x 3 scenarios x 3 repeats = 36 sessions.
const MATRIX = ['--provider', 'ref:stochastic:0.6', '--provider', 'ref:sequential', '--repeats', '3', '--seed', '17'];

describe('run --shard and merge', () => {
  let out: string;
  beforeAll(async () => {
    out = tempDir('shards');
    expect((await fixtureRun(out, 'whole', MATRIX)).code).toBe(0);
    for (const i of [1, 2, 3, 4]) expect((await fixtureRun(join(out, 'shards'), `s${i}`, [...MATRIX, '--shard', `${i}/4`, '--concurrency', String(i)])).code).toBe(0);
  });

  it('each shard holds a disjoint deterministic part and records which', () => {
    const parts = [1, 2, 3, 4].map((i) => readRun(join(out, 'shards', `s${i}`)));
    expect(parts.map((p) => p.manifest.shard)).toEqual([1, 2, 3, 4].map((index) => ({ index, count: 4 })));
    // 36 sessions dealt round-robin: 9 each.
    expect(parts.map((p) => [p.manifest.sessionsPlanned, p.sessions.length, p.manifest.state])).toEqual(Array(4).fill([9, 9, 'finished']));
    const keys = parts.flatMap((p) => p.sessions.map((s) => s.key));
    expect(new Set(keys).size).toBe(36);
  });

  it('4 shards merged equal the unsharded run with the same seed, session for session', async () => {
    const merged = join(out, 'merged');
    const r = await cli(['merge', join(out, 'shards'), '--out', merged]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('merged 4 shard(s) into run merged: 36 sessions');
    const a = readRun(merged);
    const b = readRun(join(out, 'whole'));
    expect(a.sessions.map((s) => s.key)).toEqual(b.sessions.map((s) => s.key));
    expect(a.sessions.map(comparable)).toEqual(b.sessions.map(comparable));
    expect(a.sessions.every((s) => s.runId === 'merged')).toBe(true);
    expect(a.manifest).toMatchObject({ state: 'finished', sessionsPlanned: 36, sessionsWritten: 36, config: { ...b.manifest.config, concurrency: 1 } });
    expect(a.manifest.shard).toBeUndefined();
    expect(a.manifest.mergedFrom?.map((m) => m.runId)).toEqual(['s1', 's2', 's3', 's4']);
    expect(existsSync(join(merged, 'summary.csv'))).toBe(true);
    // The merged run compares with the whole run as identical.
    expect((await cli(['compare', join(out, 'whole'), merged, '--out', join(out, 'cmp')])).code).toBe(0);
  });

  it('refuses missing, duplicated, foreign and unsharded parts, saying which', async () => {
    const s = (i: number): string => join(out, 'shards', `s${i}`);
    const missing = await cli(['merge', s(1), s(2), s(3), '--out', join(out, 'm1')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('shard 4/4 is missing');

    cpSync(s(2), join(out, 'copy-of-2'), { recursive: true });
    const twice = await cli(['merge', s(1), s(2), join(out, 'copy-of-2'), s(3), s(4), '--out', join(out, 'm2')]);
    expect(twice.code).toBe(2);
    expect(twice.err).toMatch(/shard 2\/4 given twice: .*s2 and .*copy-of-2/);

    const other = await fixtureRun(join(out, 'other'), 's4', ['--provider', 'ref:stochastic:0.6', '--provider', 'ref:sequential', '--repeats', '3', '--seed', '18', '--shard', '4/4']);
    const foreign = await cli(['merge', s(1), s(2), s(3), other.dir, '--out', join(out, 'm3')]);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toMatch(/seed: .*s1 17, .*other\/s4 18/);

    const whole = await cli(['merge', join(out, 'whole'), '--out', join(out, 'm4')]);
    expect(whole.code).toBe(2);
    expect(whole.err).toContain('is not a shard (it was run without --shard)');

    const exists = await cli(['merge', join(out, 'shards'), '--out', join(out, 'whole')]);
    expect(exists.code).toBe(2);
    expect(exists.err).toContain('already holds a run');
    for (const m of ['m1', 'm2', 'm3', 'm4']) expect(existsSync(join(out, m, 'run.json'))).toBe(false);
  });
});
