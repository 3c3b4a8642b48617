import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../../harness/core/run-file/records.js';
import { cli, fixtureRun, tempDir } from './helpers.js';

describe('baselines', () => {
  it('saves a finished run under a name and compares against it', async () => {
    const out = tempDir('baseline');
    const baselines = join(out, 'baselines');
    const base = await fixtureRun(join(out, 'runs'), 'monday', ['--provider', 'ref:stochastic:0.8', '--repeats', '2']);
    const save = await cli(['baseline', 'save', base.dir, '--name', 'nightly', '--baselines', baselines]);
    expect(save.code).toBe(0);
    expect(save.out).toContain('saved run monday (12 sessions) as baseline "nightly"');
    // The sessions are kept gzipped: the same records, in plan order, at a fraction of the size.
    expect(existsSync(join(baselines, 'nightly', 'sessions.jsonl'))).toBe(false);
    const gz = join(baselines, 'nightly', 'sessions.jsonl.gz');
    const lines = gunzipSync(readFileSync(gz)).toString('utf8').trim().split('\n');
    const original = readFileSync(join(base.dir, 'sessions.jsonl'), 'utf8').trim().split('\n');
    expect([...lines].sort()).toEqual([...original].sort());
    expect(statSync(gz).size).toBeLessThan(statSync(join(base.dir, 'sessions.jsonl')).size / 5);
    expect(readRun(join(baselines, 'nightly')).sessions).toEqual(readRun(base.dir).sessions);
    expect(readFileSync(join(baselines, 'nightly', 'run.json'), 'utf8')).toBe(readFileSync(join(base.dir, 'run.json'), 'utf8'));

    const next = await fixtureRun(join(out, 'runs'), 'tuesday', ['--provider', 'ref:stochastic:0.8', '--repeats', '2']);
    const cmp = await cli(['compare', '--baseline', 'nightly', '--baselines', baselines, next.dir]);
    expect(cmp.code).toBe(0);
    expect(readFileSync(join(next.dir, 'compare', 'compare.md'), 'utf8')).toContain('Baseline `monday`');

    // Saving again under the same name replaces it.
    expect((await cli(['baseline', 'save', next.dir, '--name', 'nightly', '--baselines', baselines])).code).toBe(0);
    const list = await cli(['baseline', 'list', '--baselines', baselines]);
    expect(list.out).toMatch(/nightly\s+tuesday\s+12/);
    // A hand-edited baseline.json is refused with the file and the field, not listed with a wrong count.
    const info = join(baselines, 'nightly', 'baseline.json');
    writeFileSync(info, readFileSync(info, 'utf8').replace(/"sessions": 12/, '"sessions": "twelve"'));
    const broken = await cli(['baseline', 'list', '--baselines', baselines]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('nightly/baseline.json: sessions: Invalid input: expected number, received string');
    writeFileSync(info, 'not json');
    expect((await cli(['baseline', 'list', '--baselines', baselines])).err).toContain('nightly/baseline.json: not valid JSON');
  });

  it('refuses unfinished runs, shards and bad names', async () => {
    const out = tempDir('baseline-bad');
    const part = await fixtureRun(out, 'part', ['--provider', 'ref:optimal', '--repeats', '1', '--shard', '1/2']);
    const shard = await cli(['baseline', 'save', part.dir, '--baselines', join(out, 'b')]);
    expect(shard.code).toBe(2);
    expect(shard.err).toContain('only shard 1/2');
    const m = JSON.parse(readFileSync(join(part.dir, 'run.json'), 'utf8')) as RunManifest;
    const { shard: _s, ...unsharded } = m;
    writeFileSync(join(part.dir, 'run.json'), JSON.stringify({ ...unsharded, state: 'interrupted' }));
    const cut = await cli(['baseline', 'save', part.dir, '--baselines', join(out, 'b')]);
    expect(cut.err).toContain('finish it with `batchbench run --resume');
    expect((await cli(['baseline', 'save', part.dir, '--name', '../escape'])).err).toContain('must be letters, digits');
  });
});

describe('batchbench history', () => {
  let runs: string;
  beforeAll(async () => {
    runs = tempDir('history');
    // Three nights of the same suite (the policy drifts), one run of another suite, one unfinished run.
    for (const [id, p] of [['n1', '0.8'], ['n2', '0.5'], ['n3', '0.2']] as const) {
      expect((await fixtureRun(runs, id, ['--provider', `ref:stochastic:${p}`, '--repeats', '8', '--variants', 'together'])).code).toBe(0);
    }
    expect((await fixtureRun(runs, 'other-suite', ['--provider', 'ref:optimal', '--repeats', '1', '--tags', 'id=t-chain'])).code).toBe(0);
    const cut = await fixtureRun(runs, 'cut', ['--provider', 'ref:optimal', '--repeats', '1']);
    const m = JSON.parse(readFileSync(join(cut.dir, 'run.json'), 'utf8')) as RunManifest;
    writeFileSync(join(cut.dir, 'run.json'), JSON.stringify({ ...m, state: 'interrupted', startedAt: '2000-01-01T00:00:00.000Z' }));
  });

  it('writes history.csv and a self-contained trend chart over the last N runs of one suite', async () => {
    const out = join(runs, 'trend');
    // The newest run is other-suite; follow n3's suite instead.
    const r = await cli(['history', runs, '--last', '2', '--suite', join(runs, 'n3'), '--out', out]);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(join(out, 'history.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => `${x['run_id']} ${x['provider']} ${x['variant']}`)).toEqual(['n2 ref:stochastic:0.5 together', 'n3 ref:stochastic:0.2 together']);
    expect(Number(rows[0]?.['mean_batching_rate'])).toBeGreaterThan(Number(rows[1]?.['mean_batching_rate']));
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining(['started_at', 'suite', 'sessions', 'success_rate', 'mean_turns', 'mean_input_tokens']));
    const html = readFileSync(join(out, 'history.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html.match(/<svg width="560"/g)).toHaveLength(5);
    expect(html).toContain('Batching rate');
    expect(html).toMatch(/cut: interrupted/);
    expect(html).toMatch(/other-suite: another suite/);
  });

  it('defaults to the suite of the newest run and writes next to the runs', async () => {
    const r = await cli(['history', runs]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/history of suite [0-9a-f]{12}: 1 run\(s\)/);
    expect(existsSync(join(runs, 'history.csv'))).toBe(true);
    expect((await cli(['history', join(runs, 'missing')])).code).toBe(2);
  });
});
