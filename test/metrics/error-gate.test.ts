import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFactories } from '../../harness/providers/registry.js';
import { flakyFactory } from '../run/fixtures/flaky-provider.js';
import { cli, fixtureRun, tempDir } from '../cli/helpers.js';
import { findAll, parseXml } from '../reports/xml.js';

// 3 scenarios x 2 variants x 3 repeats = 9 sessions per group, 18 per run; `flaky:` fails every session of t-fan-out (3 per group).
const MATRIX = ['--repeats', '3', '--seed', '5'];
/** `run` exits 0, or 3 once a run with errored sessions says so by its exit code. */
const RUN_CODES = [0, 3];

describe('errored sessions in run and compare', () => {
  let out: string;
  const saved = { flaky: providerFactories['flaky'], dead: providerFactories['dead'] };
  const runs: Record<string, { code: number; dir: string; out: string }> = {};
  beforeAll(async () => {
    providerFactories['flaky'] = flakyFactory((id) => id === 't-fan-out');
    providerFactories['dead'] = flakyFactory(() => true);
    out = tempDir('errors');
    for (const [id, provider] of [['base', 'ref:optimal'], ['storm', 'flaky:ref:optimal'], ['storm2', 'flaky:ref:optimal'], ['dead', 'dead:ref:optimal']] as const) {
      runs[id] = await fixtureRun(out, id, ['--provider', provider, ...MATRIX]);
    }
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v) providerFactories[k] = v;
      else delete providerFactories[k];
    }
  });

  it('the run table shows measured, errored and skipped per row and averages only the measured sessions', () => {
    const base = runs['base'];
    const storm = runs['storm'];
    expect(base?.code).toBe(0);
    expect(RUN_CODES).toContain(storm?.code);
    const row = (text: string | undefined, variant: string): string[] =>
      (text ?? '').split('\n').find((l) => l.startsWith('ref:optimal') && l.split(/\s{2,}/)[1] === variant)?.split(/\s{2,}/) ?? [];
    // ref:optimal takes each task's optimal turns (overhead 0): t-fan-out 2, t-chain and t-diamond 8 together, so (2 + 8) / 3 = 3.33 over the
    // whole suite and 8 / 2 = 4.00 without t-fan-out. Averaging the 3 errored sessions as 0 turns would give (6 x 4) / 9 = 2.67.
    const whole = row(base?.out, 'plain');
    expect(whole.slice(2, 9)).toEqual(['9', '9', '0', '0', '100.0%', '3.33', '0.00']);
    const measured = row(storm?.out, 'plain');
    expect(measured.slice(2, 9)).toEqual(['9', '6', '3', '0', '100.0%', '4.00', '0.00']);
    expect(storm?.out).toContain("errored and skipped sessions are counted, never averaged: each row's figures, success rate included, rest on its measured sessions");
    const md = readFileSync(join(storm?.dir ?? '', 'summary.md'), 'utf8');
    expect(md).toContain('> **Warning: 6 of 18 sessions errored.**');
    expect(md).toContain('| StormError | 6 | 500 Internal Server Error &lt;html> |');
    expect(readFileSync(join(storm?.dir ?? '', 'report.html'), 'utf8')).toContain('<strong>Warning: 6 of 18 sessions errored.</strong>');
  });

  it('a run where every session errored prints no figure and its reports show none', () => {
    const dead = runs['dead'];
    expect(RUN_CODES).toContain(dead?.code);
    const rows = (dead?.out ?? '').split('\n').filter((l) => l.startsWith('ref:optimal'));
    expect(rows.map((l) => l.split(/\s{2,}/))).toEqual([
      ['ref:optimal (reference policy)', 'plain', '9', '0', '9', '0', '–', '–', '–', '–', '–', '–', '–'],
      ['ref:optimal (reference policy)', 'together', '9', '0', '9', '0', '–', '–', '–', '–', '–', '–', '–'],
    ]);
    expect(dead?.out).toContain('no session was measured (every one errored or was skipped): this run has no efficiency figures');
    const md = readFileSync(join(dead?.dir ?? '', 'summary.md'), 'utf8');
    expect(md).toContain('> **Warning: 18 of 18 sessions errored.** No session was measured');
    for (const absent of ['## Verdict', 'turns (CI)', '0.00']) expect(md).not.toContain(absent);
    const html = readFileSync(join(dead?.dir ?? '', 'report.html'), 'utf8');
    for (const absent of ['id="verdict"', '<canvas', '0.00']) expect(html).not.toContain(absent);
  });

  it('compare fails on the candidate\'s new errors (exit 1), names them first, and compares the rest on measured pairs', async () => {
    const dir = join(out, 'cmp-storm');
    const r = await cli(['compare', join(out, 'base'), join(out, 'storm'), '--out', dir]);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    // Only the two error-rate gates fail: on the 6 pairs measured on both sides the policy is unchanged.
    expect(lines[0]).toBe('REGRESSION: 2 of 10 gate(s) failed');
    const cause = 'error_rate: 3 of 9 candidate sessions errored (baseline: 0): the other figures rest on the 6 measured sessions; error rate 0.0% -> 33.3%, allowed: a rise of 0.0 pts; REGRESSION';
    expect(lines[1]).toBe(`  FAIL  ref:optimal (reference policy) / plain: ${cause}: sessions errored, so the other gates compare fewer sessions`);
    expect(lines[2]).toContain('  FAIL  ref:optimal (reference policy) / together: error_rate: 3 of 9 candidate sessions errored');
    expect(lines[3]).toBe('ref:optimal (reference policy) / plain (6 pairs, 3 dropped: a side errored or was skipped)');
    expect(r.out).toMatch(/pass {2}turns did not change: 4\.00 -> 4\.00 over 6 pairs/);

    const md = readFileSync(join(dir, 'compare.md'), 'utf8');
    const failed = md.split('\n').filter((l) => l.startsWith('- ref:optimal'));
    expect(failed[0]).toContain(`- ref:optimal (reference policy) / plain: ${cause}`);
    expect(md).toContain('| ref:optimal (reference policy) / plain | error_rate may not rise | +33.3 pts (0 -> 3 of 9) | – (a count) | – | **FAIL** |');
    expect(md.indexOf('error_rate may not rise')).toBeLessThan(md.indexOf('success_rate may not fall'));
    expect(md).toContain('6 session pairs measured on both sides (same scenario and repeat), 3 pair(s) dropped because one side or both errored or were skipped; baseline 9 sessions (9 measured, 0 errored, 0 skipped), candidate 9 sessions (6 measured, 3 errored, 0 skipped)');
    expect(md).toContain('6 pair(s) dropped because one side or both errored or were skipped');

    const junit = parseXml(readFileSync(join(dir, 'junit.xml'), 'utf8'));
    expect(junit.attrs).toMatchObject({ tests: '10', failures: '2' });
    const suite = findAll(junit, 'testsuite')[0];
    const first = suite ? findAll(suite, 'testcase')[0] : undefined;
    expect(first?.attrs['name']).toBe('error_rate may not rise');
    const failure = first?.children.find((c) => c.name === 'failure');
    expect(failure?.attrs).toMatchObject({ type: 'errors' });
    expect(failure?.attrs['message']).toContain('3 of 9 candidate sessions errored (baseline: 0)');

    const html = readFileSync(join(dir, 'compare.html'), 'utf8');
    expect(html).toContain('<li class="fail">ref:optimal (reference policy) / plain: error_rate: 3 of 9 candidate sessions errored (baseline: 0)');
    expect(html.indexOf('error_rate may not rise')).toBeLessThan(html.indexOf('success_rate may not fall'));
  });

  it('passes when both runs have the same errors, and the gate is configurable', async () => {
    const same = await cli(['compare', join(out, 'storm'), join(out, 'storm2'), '--out', join(out, 'cmp-same')]);
    expect(same.code).toBe(0);
    expect(same.out).toContain('PASS: all 10 gate(s) passed');
    expect(same.out).toContain('pass  error_rate: 3 of 9 candidate sessions errored (baseline: 3): the other figures rest on the 6 measured sessions; error rate 33.3% -> 33.3%, allowed: a rise of 0.0 pts; within the limit');

    const dir = tempDir('error-gates');
    const lenient = join(dir, 'lenient.yaml');
    writeFileSync(lenient, 'gates:\n  error_rate: { max_rise: 0.5 }\n  turns: { max_rise: 10% }\n');
    const ok = await cli(['compare', join(out, 'base'), join(out, 'storm'), '--gates', lenient, '--out', join(dir, 'o')]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('PASS: all 4 gate(s) passed');
    expect(ok.out).toContain('allowed: a rise of 50.0 pts; within the limit');

    // A gates file without error_rate still gets the default error gate.
    const turnsOnly = join(dir, 'turns.yaml');
    writeFileSync(turnsOnly, 'gates:\n  turns: { max_rise: 10% }\n');
    const strict = await cli(['compare', join(out, 'base'), join(out, 'storm'), '--gates', turnsOnly, '--out', join(dir, 'o2')]);
    expect(strict.code).toBe(1);
    expect(strict.out.split('\n')[0]).toBe('REGRESSION: 2 of 4 gate(s) failed');

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'gates:\n  error_rate: { max_drop: 0 }\n');
    const b = await cli(['compare', join(out, 'base'), join(out, 'storm'), '--gates', bad]);
    expect(b.code).toBe(2);
    expect(b.err).toContain('bad.yaml: gates.error_rate: give max_rise');
  });

  it('a candidate where every session errored fails on errors; the metric gates have no pair to test', async () => {
    const r = await cli(['compare', join(out, 'base'), join(out, 'dead'), '--out', join(out, 'cmp-dead')]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe('REGRESSION: 2 of 10 gate(s) failed');
    expect(r.out).toContain('FAIL  ref:optimal (reference policy) / plain: error_rate: 9 of 9 candidate sessions errored (baseline: 0): the other figures rest on the 0 measured sessions');
    expect(r.out).toContain('skip  success_rate: not tested, 0 session pair(s) (need 2)');
  });
});
