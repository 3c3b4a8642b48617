import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { writeReports } from '../../harness/reports/index.js';
import type { RunManifest } from '../../harness/core/run-file/records.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { MATRIX_ARGS, normaliseRun } from '../fixtures/perf-run/normalise.mjs';
import { captureIO } from '../helpers.js';

// A stored run (test/fixtures/perf-run/make-fixture.mjs regenerates it): 3 reference policies x 2 variants
// x the default scenarios x 1 repeat, real-time fields fixed, in run-file format 2. Reports and token counts
// must not change with caching, lazy loading or a rearrangement of the code; a change of figures on purpose
// (e.g. a better token estimate) regenerates it in the same commit. Reading format 1 is test/core/run-file-v1.test.ts.
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'perf-run');
const ROOT = join(import.meta.dirname, '..', '..');
const REPORTS = readdirSync(FIXTURE).filter((f) => !/\.(mjs|mts|gz|sha256)$/.test(f) && f !== 'run.json');

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function expectReportsMatchFixture(dir: string): void {
  for (const name of REPORTS) {
    expect(readFileSync(join(dir, name), 'utf8'), name).toBe(readFileSync(join(FIXTURE, name), 'utf8'));
  }
  expect(sha256(join(dir, 'report.html')), 'report.html').toBe(readFileSync(join(FIXTURE, 'report.html.sha256'), 'utf8').trim());
}

describe('stored run: no figure changes', () => {
  it('lists the reports it checks', () => {
    expect(REPORTS.sort()).toEqual(['comparison.csv', 'sessions.csv', 'summary.csv', 'summary.md', 'turns.csv', 'variants.csv']);
  });

  it('every report of the stored run is identical when written again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-perf-fixture-'));
    writeFileSync(join(dir, 'run.json'), readFileSync(join(FIXTURE, 'run.json')));
    writeFileSync(join(dir, 'sessions.jsonl'), gunzipSync(readFileSync(join(FIXTURE, 'sessions.jsonl.gz'))));
    const run = readRun(dir);
    expect(run.manifest.formatVersion).toBe(2);
    expect(run.sessions).toHaveLength(180);
    expect(run.cutLine).toBeUndefined();
    await writeReports(dir);
    expectReportsMatchFixture(dir);
  });

  it('running the same matrix again gives the same sessions (every token count) and the same reports', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bb-perf-rerun-'));
    const code = await main(['run', ...MATRIX_ARGS, '--quiet', '--out', out, '--run-id', 'fixture'], captureIO());
    expect(code).toBe(0);
    const dir = join(out, 'fixture');
    normaliseRun(dir, ROOT);
    const sessions = readFileSync(join(dir, 'sessions.jsonl'), 'utf8');
    const stored = gunzipSync(readFileSync(join(FIXTURE, 'sessions.jsonl.gz'))).toString('utf8');
    expect(sessions.split('\n').length).toBe(181);
    expect(stored.split('"formatVersion":2,').length).toBe(181);
    expect(sessions === stored).toBe(true);
    // The manifest keeps the accepted values of the task graph.
    const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunManifest;
    const accepted = manifest.scenarios.flatMap((s) => s.dag.flatMap((n) => (n.accept ? [`${s.id}/${n.id}`] : [])));
    expect(accepted).toContain('travel-weather-cities/lisbon');
    expect(manifest.scenarios.find((s) => s.id === 'travel-weather-cities')?.dag.find((n) => n.id === 'lisbon')?.accept).toEqual({ city: ['Lisbon', 'Lisboa'] });
    expect(readFileSync(join(dir, 'run.json'), 'utf8') === readFileSync(join(FIXTURE, 'run.json'), 'utf8')).toBe(true);
    await writeReports(dir);
    expectReportsMatchFixture(dir);
  });
});
