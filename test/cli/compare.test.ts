import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT } from '../helpers.js';
import { cli, fixtureRun, tempDir } from './helpers.js';
import { findAll, parseXml } from '../reports/xml.js';

// 3 scenarios x 2 variants x 12 repeats = 36 session pairs per variant.
const MATRIX = ['--repeats', '12', '--seed', '11'];

describe('batchbench compare', () => {
  let out: string;
  beforeAll(async () => {
    out = tempDir('compare');
    for (const [id, provider] of [['base', 'ref:stochastic:0.8'], ['again', 'ref:stochastic:0.8'], ['worse', 'ref:stochastic:0.3']]) {
      const r = await fixtureRun(out, id as string, ['--provider', provider as string, ...MATRIX]);
      expect(r.code).toBe(0);
    }
  });

  it('two runs of the same reference policy pass every gate (exit 0)', async () => {
    const r = await cli(['compare', join(out, 'base'), join(out, 'again')]);
    expect(r.code).toBe(0);
    // 2 groups x (the error-rate gate + 4 metric gates).
    expect(r.out).toContain('PASS: all 10 gate(s) passed');
    const junit = parseXml(readFileSync(join(out, 'again', 'compare', 'junit.xml'), 'utf8'));
    expect(junit.attrs).toMatchObject({ tests: '10', failures: '0', errors: '0' });
    expect(findAll(junit, 'testsuite').map((s) => s.attrs['name'])).toEqual(['ref:stochastic:0.8 / plain', 'ref:stochastic:0.8 / together']);
    expect(findAll(junit, 'failure')).toHaveLength(0);
  });

  it('p=0.8 as baseline and p=0.3 as candidate fails the batching gate (exit 1); junit.xml names the gate with the numbers', async () => {
    const cmp = join(out, 'cmp-worse');
    const r = await cli(['compare', join(out, 'base'), join(out, 'worse'), '--out', cmp]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^REGRESSION: \d+ of 10 gate\(s\) failed/);

    const junit = parseXml(readFileSync(join(cmp, 'junit.xml'), 'utf8'));
    const failing = findAll(junit, 'testcase').filter((tc) => tc.children.some((c) => c.name === 'failure'));
    const names = failing.map((tc) => `${tc.attrs['classname']} :: ${tc.attrs['name']}`);
    expect(names).toContain('batchbench.compare.ref:stochastic:0.8 -> ref:stochastic:0.3 / together :: batching_rate may not drop by more than 5.0 pts');
    expect(Number(junit.attrs['failures'])).toBe(failing.length);
    const batching = failing.find((tc) => tc.attrs['name']?.startsWith('batching_rate') && tc.attrs['classname']?.endsWith('/ together'));
    const message = batching?.children.find((c) => c.name === 'failure')?.attrs['message'] ?? '';
    // The numbers: both means, the change, the interval, the adjusted p-value and the limit.
    expect(message).toMatch(/^batching_rate fell \d+\.\d pts \(−\d+\.\d%\): \d+\.\d% -> \d+\.\d% over 36 pairs, 95% CI −\d+\.\d pts to −\d+\.\d pts, Holm-adjusted p (<0\.001|0\.0\d\d) over 8 gate test\(s\); allowed: a drop of 5\.0 pts; REGRESSION/);

    const md = readFileSync(join(cmp, 'compare.md'), 'utf8');
    expect(md).toContain('## batchbench compare: REGRESSION');
    expect(md).toContain('| ref:stochastic:0.8 -> ref:stochastic:0.3 (reference policy) / together | batching_rate may not drop by more than 5.0 pts |');
    expect(md).toContain('never model results');
    expect(md).toContain("> Reference policies ignore the prompt's wording");
    // Direction in words: the failed gate and the flagged changes say worse; the CLI too.
    expect(md).toMatch(/\| batching_rate may not drop by more than 5\.0 pts \| −[\d.]+ pts \| [^|]+ \| [^|]+ \| \*\*FAIL\*\* ✗ worse \|/);
    expect(md).toMatch(/\| Batching rate \| [\d.]+% \| [\d.]+% \| −[\d.]+ pts −[\d.]+% \*\*✗ worse\*\* \|/);
    expect(md).not.toContain('**✓ better**');
    expect(r.out).toMatch(/FAIL {2}batching_rate fell .*REGRESSION: beyond the limit and statistically real, ✗ worse/);
    const html = readFileSync(join(cmp, 'compare.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).toContain('batching_rate may not drop by more than 5.0 pts');

    // --quiet: the verdict and one line per failed gate, no file list.
    const quiet = await cli(['compare', join(out, 'base'), join(out, 'worse'), '--out', cmp, '--quiet']);
    expect(quiet.code).toBe(1);
    const lines = quiet.out.trim().split('\n');
    expect(lines[0]).toMatch(/^REGRESSION: \d+ of 10 gate\(s\) failed$/);
    expect(lines.slice(1).every((l) => l.startsWith('  FAIL  ref:stochastic:0.8 -> ref:stochastic:0.3 (reference policy) / '))).toBe(true);
    expect(lines).toHaveLength(1 + Number(junit.attrs['failures']));
  });

  it('the other way round (p=0.3 as baseline, p=0.8 as candidate) every gate passes and compare.md says the batching rate rose "✓ better"', async () => {
    const cmp = join(out, 'cmp-better');
    const r = await cli(['compare', join(out, 'worse'), join(out, 'base'), '--out', cmp]);
    expect(r.code).toBe(0);
    const md = readFileSync(join(cmp, 'compare.md'), 'utf8');
    expect(md).toMatch(/\| Batching rate \| [\d.]+% \| [\d.]+% \| \+[\d.]+ pts \+[\d.]+% \*\*✓ better\*\* \|/);
    expect(md).not.toContain('**✗ worse**');
  });

  it('runs of different suites exit 2 and say which scenarios differ', async () => {
    const sub = await fixtureRun(out, 'subset', ['--provider', 'ref:stochastic:0.8', '--tags', 'id=t-chain', ...MATRIX]);
    expect(sub.code).toBe(0);
    const r = await cli(['compare', join(out, 'base'), sub.dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('INCOMPARABLE');
    expect(r.err).toContain('different suites (scenario ids): only in the baseline: "t-diamond", "t-fan-out"');
    const junit = parseXml(readFileSync(join(sub.dir, 'compare', 'junit.xml'), 'utf8'));
    expect(findAll(junit, 'error')[0]?.attrs['message']).toContain('only in the baseline: "t-diamond", "t-fan-out"');
  });

  it('a scenario whose file changed makes the runs incomparable, naming the scenario', async () => {
    const project = tempDir('changed');
    cpSync(PROJECT, project, { recursive: true });
    const file = join(project, 'scenarios', 'fan-out.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: A changed title'));
    const r = await cli(['run', '--scenarios', join(project, 'scenarios'), '--prompts', join(project, 'prompts'), '--provider', 'ref:stochastic:0.8', ...MATRIX, '--out', out, '--run-id', 'changed', '--quiet']);
    expect(r.code).toBe(0);
    const c = await cli(['compare', join(out, 'base'), join(out, 'changed')]);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/scenario "t-fan-out" differs: baseline .*fan-out\.yaml \(sha256 [0-9a-f]{12}\), candidate .*fan-out\.yaml \(sha256 [0-9a-f]{12}\)/);
  });

  it('providers that cannot be paired make the runs incomparable', async () => {
    const two = await fixtureRun(out, 'two-providers', ['--provider', 'ref:stochastic:0.8', '--provider', 'ref:optimal', ...MATRIX]);
    const r = await cli(['compare', join(out, 'base'), two.dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('different providers that cannot be paired: baseline "ref:stochastic:0.8", candidate "ref:stochastic:0.8", "ref:optimal"');
  });

  it('gates come from --gates or the config file; bad gates name the file and the field', async () => {
    const dir = tempDir('gates');
    const strict = join(dir, 'strict.yaml');
    // Any significant rise in turns at all fails.
    writeFileSync(strict, 'gates:\n  turns: { max_rise: 0 }\n');
    const r = await cli(['compare', join(out, 'base'), join(out, 'worse'), '--gates', strict, '--out', join(dir, 'o1')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL  turns rose');
    expect(r.out).not.toContain('batching_rate');

    const lenient = join(dir, 'batchbench.config.yaml');
    writeFileSync(lenient, 'gates:\n  batching_rate: { max_drop: 0.9 }\n');
    const ok = await cli(['compare', join(out, 'base'), join(out, 'worse'), '--config', lenient, '--out', join(dir, 'o2')]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('gates from');

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'gates:\n  batching_rate: { max_drop: -1 }\n  turns: { max_rise: lots }\n  speed: { max_rise: 1 }\n');
    const b = await cli(['compare', join(out, 'base'), join(out, 'worse'), '--gates', bad]);
    expect(b.code).toBe(2);
    expect(b.err).toContain('bad.yaml: gates.batching_rate.max_drop');
    expect(b.err).toContain('bad.yaml: gates.turns.max_rise');
    expect(b.err).toMatch(/bad\.yaml: gates\.speed/);

    const both = join(dir, 'both.yaml');
    writeFileSync(both, 'gates:\n  turns: { max_rise: 1, max_drop: 1 }\n');
    const t = await cli(['compare', join(out, 'base'), join(out, 'worse'), '--gates', both]);
    expect(t.code).toBe(2);
    expect(t.err).toContain('both.yaml: gates.turns: give exactly one of max_drop or max_rise');
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['compare', join(out, 'base')])).code).toBe(2);
    expect((await cli(['compare', join(out, 'base'), join(out, 'nope')])).code).toBe(2);
    const missing = await cli(['compare', '--baseline', 'nightly', '--baselines', join(out, 'none'), join(out, 'base')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no baseline named "nightly"');
    expect(existsSync(join(out, 'nope'))).toBe(false);
  });
});
