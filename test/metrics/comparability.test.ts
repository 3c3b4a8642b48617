import { describe, expect, it } from 'vitest';
import { checkComparable } from '../../harness/metrics/comparability.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import type { RunManifest } from '../../harness/core/run-file/records.js';
import { fixtureRun, tempDir } from '../cli/helpers.js';

describe('whether two runs compare', () => {
  it("notes a provider charged another model latency on the virtual clock, per provider as well as the run's default", async () => {
    const out = tempDir('comparable-latency');
    const base = readRun((await fixtureRun(out, 'base', ['--provider', 'ref:optimal', '--repeats', '1'])).dir).manifest;
    const same = checkComparable(base, base);
    expect(same.reasons).toEqual([]);
    expect(same.notes.filter((n) => n.includes('latency'))).toEqual([]);

    const perProvider: RunManifest = { ...base, config: { ...base.config, modelLatencyByProvider: { 'ref:optimal': 1200 } } };
    expect(checkComparable(base, perProvider).notes).toContain(
      'model latency charged per call on the virtual clock: baseline 800 ms for ref:optimal, candidate 1200 ms for ref:optimal; their virtual latencies differ by this setting, not by what the sessions did',
    );
    // The same charge set two ways is no difference.
    const sameCharge: RunManifest = { ...base, config: { ...base.config, modelLatencyMs: 1200, modelLatencyByProvider: {} } };
    expect(checkComparable(perProvider, sameCharge).notes.filter((n) => n.includes('latency'))).toEqual([]);
  });
});
