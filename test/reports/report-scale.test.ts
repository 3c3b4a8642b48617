/**
 * Size and render time of the reports for a 10,000-session run of the
 * reference policies. Slow (a minute), so it runs only on request:
 *
 *   BATCHBENCH_REPORT_SCALE=1 npx vitest run test/reports/report-scale.test.ts
 *
 * It runs the suite in scenarios/ and prompts/ with the three reference
 * policies and enough repeats for 10,000 sessions, renders every report and
 * prints the figures quoted in docs/report.md.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVariants } from '../../harness/scenarios/load-variants.js';
import { createProvider } from '../../harness/providers/registry.js';
import { renderReportHtml } from '../../harness/reports/html/page.js';
import { writeReports } from '../../harness/reports/index.js';
import { analyseRun } from '../../harness/metrics/run-analysis.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe.runIf(process.env.BATCHBENCH_REPORT_SCALE === '1')('reports at 10,000 sessions', () => {
  it('stay under 3 MB and render in seconds', async () => {
    const scenarios = loadScenariosOrThrow([join(ROOT, 'scenarios')]);
    const { variants } = loadVariants([join(ROOT, 'prompts')]);
    const providers = ['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal'].map((p) => createProvider(p));
    const repeats = Math.ceil(10_000 / (providers.length * variants.length * scenarios.length));
    const out = mkdtempSync(join(tmpdir(), 'batchbench-scale-'));
    const { dir } = await runSuite({ scenarios, variants, providers, repeats, concurrency: 16, seed: 42, outDir: out, runId: 'scale', modelLatencyMs: 800, maxTurns: 10 });
    let t = performance.now();
    const run = readRun(dir);
    const readMs = performance.now() - t;
    t = performance.now();
    const analysis = analyseRun(run);
    const analysisMs = performance.now() - t;
    t = performance.now();
    const html = renderReportHtml(analysis);
    const htmlMs = performance.now() - t;
    t = performance.now();
    await writeReports(dir);
    const allMs = performance.now() - t;
    const bytes = statSync(join(dir, 'report.html')).size;
    console.log(
      JSON.stringify({ sessions: run.sessions.length, readMs: Math.round(readMs), analysisMs: Math.round(analysisMs), htmlMs: Math.round(htmlMs), writeReportsMs: Math.round(allMs), reportHtmlBytes: bytes, dir }),
    );
    expect(run.sessions.length).toBeGreaterThanOrEqual(10_000);
    expect(Buffer.byteLength(html)).toBe(bytes);
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
  }, 300_000);
});
