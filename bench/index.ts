/**
 * `npm run bench [-- --quick] [-- --only <words>]`: the harness's own performance, with targets.
 * `--only matrix,latency` runs the sections whose label holds one of the words (the scale run too when a
 * later section reads its output).
 * Prints medians with their spread and PASS/MISS against each target, all measured in this one run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verdict, type Figure } from './lib.js';
import { endToEnd } from './sections/end-to-end.js';
import { latencyBound } from './sections/latency-bound.js';
import { loopOverhead } from './sections/loop-overhead.js';
import { metricsAndStatistics } from './sections/metrics.js';
import { scale } from './sections/scale.js';
import { comparisonAnalysis } from './sections/comparison.js';
import { csvWriters } from './sections/csv-writers.js';
import { traceImport } from './sections/trace-import.js';
import { distanceToLimit, installSize, startAndMatrix, tenThousand } from './sections/targets.js';
import { buildIfStale } from '../bin/fresh-build.js';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : (process.argv[onlyAt + 1] ?? '').split(',').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
if (only !== undefined && only.length === 0) throw new Error('--only takes a comma-separated list of words from the section labels');
const wanted = (label: string): boolean => only === undefined || only.some((w) => label.toLowerCase().includes(w));
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'bb-bench-'));

const cpu = cpus();
console.log(`batchbench benchmark${quick ? ' (quick mode: smaller sizes, fewer samples; figures are indicative only)' : ''}`);
console.log(`machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}/${process.arch}`);
console.log('');

const figures: Figure[] = [];
const step = async (label: string, f: () => Promise<Figure[]> | Figure[], needed = false): Promise<void> => {
  if (!needed && !wanted(label)) return;
  process.stderr.write(`... ${label}\n`);
  figures.push(...(await f()));
};

// The start, matrix and end-to-end figures run the CLI's bundle built from the compiled program, as an installed package does.
if (!buildIfStale(root)) throw new Error('npm run build failed');

try {
  const big = quick ? 2000 : 10_000;
  let scaleDir = '';
  const needsScale = ['scale run', 'metrics and statistics', 'CSV writers'].some(wanted);
  if (needsScale) {
    await step(
      'scale run',
      () => {
        const r = scale(root, work, big);
        scaleDir = r.result.dir;
        return r.figures;
      },
      true,
    );
  }
  await step('metrics and statistics', () => metricsAndStatistics(scaleDir, quick, comparisonAnalysis));
  await step('CSV writers', () => csvWriters(scaleDir, quick));
  await step('loop overhead', () => loopOverhead(root, quick));
  await step('end to end', () => endToEnd(root, quick ? 1 : 5));
  await step('start and 900-session matrix', () => startAndMatrix(root, quick ? 1 : 5));
  await step('distance to the limit', () => distanceToLimit(root, quick ? 1 : 5));
  if (!quick) {
    await step('10,000 sessions end to end', () => tenThousand(root));
    await step('production install size', () => installSize(root));
  }
  await step('trace import', () => traceImport(root, work, quick ? 10_000 : 100_000));
  await step('latency-bound run', () =>
    latencyBound(root, work, quick ? { latencyMs: 200, concurrency: 16, repeats: 1, variants: 1 } : { latencyMs: 200, concurrency: 16, repeats: 1, variants: 2 }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

const rows = figures
  .sort((a, b) => a.section.localeCompare(b.section))
  .map((f) => [f.section, f.name, `${f.value < 10 ? f.value.toFixed(3) : f.value.toFixed(1)} ${f.unit}`, f.target?.label ?? '', verdict(f), f.spread ?? '', f.note ?? '']);
const header = ['section', 'figure', 'median', 'target', 'result', 'spread', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
const missed = figures.filter((f) => verdict(f) === 'MISS');
console.log('');
console.log(missed.length === 0 ? 'every target met' : `${missed.length} target(s) missed: ${missed.map((f) => f.name).join('; ')}`);
