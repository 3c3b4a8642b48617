/**
 * A large run in a process of its own, so its peak memory is its own:
 *   tsx bench/scale-run.ts <root> <outDir> <sessions>
 * Prints one JSON line: sessions, wall time, peak RSS, report time and sizes.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadVariantsOrThrow } from '../harness/scenarios/load-variants.js';
import { createProvider } from '../harness/providers/registry.js';
import { writeReports } from '../harness/reports/index.js';
import { runSuite } from '../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../harness/scenarios/load-scenarios.js';

const [root = '.', outDir = '/tmp', target = '10000'] = process.argv.slice(2);
const scenarios = loadScenariosOrThrow([join(root, 'scenarios')]);
const variants = loadVariantsOrThrow([join(root, 'prompts')]);
const providers = ['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal'].map((p) => createProvider(p));
const perRepeat = providers.length * variants.length * scenarios.length;
const repeats = Math.ceil(Number(target) / perRepeat);

const started = performance.now();
const { dir, manifest } = await runSuite({ scenarios, variants, providers, repeats, concurrency: 16, seed: 1, outDir, runId: 'scale', modelLatencyMs: 800, maxTurns: 20 });
const runMs = performance.now() - started;
const rssAfterRun = process.resourceUsage().maxRSS / 1024;

const reportStart = performance.now();
const files = await writeReports(dir);
const reportMs = performance.now() - reportStart;
const size = (name: string): number => (existsSync(join(dir, name)) ? statSync(join(dir, name)).size : 0);

process.stdout.write(
  `${JSON.stringify({
    dir,
    sessions: manifest.sessionsWritten,
    runMs,
    peakRssMbDuringRun: rssAfterRun,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    reportMs,
    htmlBytes: size('report.html'),
    sessionsJsonlBytes: size('sessions.jsonl'),
    files: files.length,
  })}\n`,
);
