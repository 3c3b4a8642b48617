import { describe, expect, it } from 'vitest';
import { detectableChange, pairsNeeded } from '../../harness/metrics/power.js';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { cli, fixtureRun, tempDir } from '../cli/helpers.js';

describe('power of the paired comparison', () => {
  it('detectable change and pairs needed by the normal approximation, worked by hand', () => {
    // z(0.975) + z(0.8) = 1.959964 + 0.841621 = 2.801585.
    expect(detectableChange(0.5, 0.05, 1)).toBeCloseTo(1.4008, 4);
    // Holm family of 5: z(1 − 0.05/10) = z(0.995) = 2.575829; + 0.841621 = 3.417450.
    expect(detectableChange(0.5, 0.05, 5)).toBeCloseTo(1.7087, 4);
    // sd 1, δ 0.2: (2.801585 / 0.2)² = 196.22 -> 197 pairs.
    expect(pairsNeeded(1, 0.2, 0.05, 1)).toBe(197);
    expect(pairsNeeded(0, 0.2, 0.05, 1)).toBe(0);
    expect(detectableChange(Number.NaN, 0.05, 1)).toBeNaN();
  });

  it('batchbench power recommends repeats from a pilot run, from the observed sd of the pair differences', async () => {
    const out = tempDir('power');
    const r = await fixtureRun(out, 'pilot', ['--provider', 'ref:stochastic:0.3,ref:stochastic:0.8', '--variants', 'plain', '--repeats', '4', '--seed', '3']);
    expect(r.code).toBe(0);
    // The sd of the turn differences, computed here from the sessions themselves.
    const sessions = readRun(r.dir).sessions;
    const turns = (p: string, s: string, k: number): number => sessionMetrics(sessions.find((x) => x.provider.id === p && x.scenarioId === s && x.repeat === k) ?? sessions[0]!).turns;
    const diffs = ['t-chain', 't-diamond', 't-fan-out'].flatMap((s) => [1, 2, 3, 4].map((k) => turns('ref:stochastic:0.8', s, k) - turns('ref:stochastic:0.3', s, k)));
    const mean = diffs.reduce((x, y) => x + y, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((x, d) => x + (d - mean) ** 2, 0) / (diffs.length - 1));
    expect(sd).toBeGreaterThan(0);
    const pairs = Math.ceil((2.801585 * sd / 0.2) ** 2);
    const repeats = Math.ceil(pairs / 3);
    const p = await cli(['power', r.dir, '--compare-by', 'models', '--detect', 'turns=0.2']);
    expect(p.code, p.err).toBe(0);
    expect(p.out).toContain(`turns: --repeats ${repeats} covers every comparison`);
    expect(p.out).toMatch(new RegExp(`turns +0\\.20 +${sd.toPrecision(3).replace('.', '\\.')} +1 +${pairs} +${repeats}`));
    const bad = await cli(['power', r.dir, '--detect', 'speed=2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--detect: unknown metric "speed"');
  });
});
