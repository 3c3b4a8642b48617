import { join } from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { UsageError } from '../../core/errors.js';
import { displayPath } from '../../core/input-files.js';
import { baselineDir, DEFAULT_BASELINES_DIR } from '../../core/run-file/baselines.js';
import { compareQuietText, compareText } from '../../reports/compare/compare-markdown.js';
import { compareRuns, DEFAULT_COMPARE_RESAMPLES } from '../../metrics/compare-runs.js';
import { DEFAULT_GATES, loadGatesFile, parseGates, type Gate } from '../../metrics/gates.js';
import { writeCompareOutputs } from '../../reports/compare/write-compare.js';
import { readRun } from '../../core/run-file/run-files.js';
import type { CompareFlags } from '../flags.js';
import { EXIT, type CliIO } from '../io.js';
import { warnCutLine } from '../run-warnings.js';

export type CompareCommandOptions = CompareFlags;

/** Gates from `--gates`, else from the config file's `gates:`, else the defaults. */
async function chooseGates(opts: CompareCommandOptions): Promise<{ gates: Gate[]; from: string }> {
  if (opts.gates !== undefined) return { gates: loadGatesFile(opts.gates), from: displayPath(opts.gates) };
  const { config, file } = await loadConfig(opts.config !== undefined ? { file: opts.config } : {});
  if (config.gates !== undefined && file !== undefined) return { gates: parseGates(config.gates, displayPath(file)), from: displayPath(file) };
  return { gates: DEFAULT_GATES, from: 'defaults' };
}

/**
 * `batchbench compare <baseline-run> <candidate-run>` or `compare --baseline <name> <candidate-run>`:
 * writes compare.md, compare.html and junit.xml; exits 0 when every gate passes,
 * 1 on a regression, 2 when the runs cannot be compared.
 */
export async function compareCommand(runs: readonly string[], opts: CompareCommandOptions, io: CliIO): Promise<number> {
  const baselinesDir = opts.baselines ?? DEFAULT_BASELINES_DIR;
  let baseDir: string;
  let candDir: string;
  if (opts.baseline !== undefined) {
    if (runs.length !== 1) throw new UsageError(`with --baseline give exactly one run directory, the candidate (got ${runs.length})`);
    baseDir = baselineDir(opts.baseline, baselinesDir);
    candDir = runs[0] as string;
  } else {
    if (runs.length !== 2) throw new UsageError(`give the baseline and the candidate run directories, or --baseline <name> and the candidate (got ${runs.length} director${runs.length === 1 ? 'y' : 'ies'})`);
    [baseDir, candDir] = runs as [string, string];
  }
  const { confidence, resamples, seed } = opts;
  const { gates, from } = await chooseGates(opts);
  const base = readRun(baseDir);
  const cand = readRun(candDir);
  warnCutLine(base.cutLine, io);
  warnCutLine(cand.cutLine, io);
  const result = compareRuns({ ...base, dir: baseDir }, { ...cand, dir: candDir }, {
    gates,
    resamples: resamples ?? DEFAULT_COMPARE_RESAMPLES,
    ...(confidence !== undefined ? { confidence } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  const files = writeCompareOutputs(result, opts.out ?? join(candDir, 'compare'));
  const lines = opts.quiet === true ? compareQuietText(result) : compareText(result);
  for (const line of lines) (result.comparable ? io.out : io.err)(line);
  if (opts.quiet !== true) {
    if (result.comparable) io.out(`gates from ${from}`);
    for (const f of files) io.out(`  ${displayPath(f)}`);
  }
  if (!result.comparable) return EXIT.usage;
  return result.regressions > 0 ? EXIT.regression : EXIT.ok;
}
