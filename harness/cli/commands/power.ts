import { UsageError } from '../../core/errors.js';
import { analyseRun } from '../../metrics/run-analysis.js';
import { DEFAULT_POWER, pairsNeeded } from '../../metrics/power.js';
import { METRIC_INFO, type CompareMetric } from '../../metrics/stat-metrics.js';
import { GATE_METRICS } from '../../metrics/gates.js';
import { armLabel } from '../../reports/axis-labels.js';
import { formatDelta, providerLabel } from '../../reports/format.js';
import { readRun } from '../../core/run-file/run-files.js';
import type { PowerFlags } from '../flags.js';
import { EXIT, table, type CliIO } from '../io.js';
import { warnCutLine } from '../run-warnings.js';

export type PowerCommandOptions = PowerFlags;

/** `turns=0.2,batching_rate=0.05` -> the changes to detect, by metric. */
export function parseDetect(text: string | undefined): [CompareMetric, number, string][] {
  if (text === undefined || text.trim() === '') throw new UsageError('--detect is required: the changes to detect, e.g. --detect turns=0.2,batching_rate=0.05');
  return text.split(',').map((part) => {
    const [name = '', value = ''] = part.split('=', 2).map((s) => s.trim());
    const metric = GATE_METRICS[name];
    if (!metric) throw new UsageError(`--detect: unknown metric "${name}"; metrics: ${Object.keys(GATE_METRICS).join(', ')}`);
    const delta = Number(value);
    if (!Number.isFinite(delta) || delta <= 0) throw new UsageError(`--detect ${name}: give a change > 0 in the metric's unit (shares as fractions: 0.05 = 5 points), got "${value}"`);
    return [metric, delta, name];
  });
}

/**
 * Recommends repeats per metric from a pilot run: for each comparison with the
 * baseline, the pairs needed to detect the change with the given power at the
 * Holm level of its family (metrics/power.ts), from the observed sd of the pair
 * differences; one repeat adds one pair per scenario.
 */
export function powerCommand(runDir: string, opts: PowerCommandOptions, io: CliIO): number {
  const detect = parseDetect(opts.detect);
  const power = opts.power ?? DEFAULT_POWER;
  const run = readRun(runDir);
  warnCutLine(run.cutLine, io);
  const a = analyseRun(run, { compareBy: opts.compareBy ?? 'variants' });
  const alpha = 1 - a.confidence;
  const scenarios = run.manifest.config.scenarios.length;
  const rows: string[][] = [];
  const worst = new Map<CompareMetric, number>();
  for (const g of a.groups) {
    for (const c of g.comparisons) {
      for (const [metric, delta, name] of detect) {
        const m = c.metrics[metric];
        const sd = (m.se ?? Number.NaN) * Math.sqrt(m.pairs);
        const needed = Number.isFinite(sd) ? pairsNeeded(sd, delta, alpha, m.family ?? 1, power) : Number.NaN;
        const repeats = Number.isFinite(needed) ? Math.max(1, Math.ceil(needed / scenarios)) : Number.NaN;
        if (Number.isFinite(repeats)) worst.set(metric, Math.max(worst.get(metric) ?? 0, repeats));
        const unit = METRIC_INFO[metric].unit;
        rows.push([
          providerLabel(c.providerId, c.providerKind),
          `${armLabel(a, c.armId)} vs ${armLabel(a, c.baselineId)}`,
          name,
          formatDelta(delta, unit).replace(/^\+/, ''),
          Number.isFinite(sd) ? sd.toPrecision(3) : '–',
          String(m.family ?? 1),
          Number.isFinite(needed) ? String(needed) : '–',
          Number.isFinite(repeats) ? String(repeats) : '–',
        ]);
      }
    }
  }
  io.out(`Repeats to detect a change with ${Math.round(power * 100)}% power, from run ${run.manifest.runId} (${scenarios} scenarios x ${run.manifest.config.repeats} repeats)`);
  io.out(`Paired differences' sd as observed; level ${alpha} two-sided, divided by the Holm family size (variants compared per metric). Normal approximation.`);
  io.out('');
  for (const line of table(['provider', 'comparison', 'metric', 'change', 'sd of pair diffs', 'family', 'pairs needed', 'repeats'], rows)) io.out(line);
  io.out('');
  for (const [metric, , name] of detect) {
    const r = worst.get(metric);
    io.out(`${name}: ${r === undefined ? 'no comparison with two or more pairs to estimate from' : `--repeats ${r} covers every comparison`}`);
  }
  return EXIT.ok;
}
