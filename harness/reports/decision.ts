import type { CellComparison } from '../metrics/compare-axis.js';
import type { ReportModel } from '../metrics/report-model.js';
import { METRIC_INFO, type CompareMetric } from '../metrics/stat-metrics.js';
import { armLabel, groupTitle } from './axis-labels.js';
import { formatDelta, formatInterval, isImprovement } from './format.js';

/** The figures of the decision block, in order. */
export const DECISION_METRICS: readonly CompareMetric[] = ['turns', 'batchingRate', 'inputTokens', 'cost', 'virtualMs', 'success'];

/** Column titles of the decision block. */
export const DECISION_LABELS: Partial<Record<CompareMetric, string>> = {
  turns: 'Δ turns',
  batchingRate: 'Δ batching',
  inputTokens: 'Δ input tokens',
  cost: 'Δ cost',
  virtualMs: 'Δ latency (ms)',
  success: 'Δ success',
};

/**
 * The decision metrics of a group: a group of real models only is judged on its
 * measured latency (wall time of the model calls and tools); anything with a
 * reference policy on the virtual clock, since a policy has no latency to measure.
 */
export function decisionMetricsOf(g: { cells: readonly { providerKind: string }[] }): CompareMetric[] {
  const measured = g.cells.length > 0 && g.cells.every((c) => c.providerKind === 'model');
  return DECISION_METRICS.map((m) => (m === 'virtualMs' && measured ? 'realMs' : m));
}

/** The note under the decision table: which latency each row is. */
export function latencyNote(ds: readonly Decision[]): string {
  const measured = ds.some((d) => d.figures.some((f) => f.metric === 'realMs'));
  if (!measured) return 'Latency is the virtual latency.';
  const modelled = ds.some((d) => d.figures.some((f) => f.metric === 'virtualMs'));
  return modelled
    ? 'Latency is measured (wall time of the model calls and tools) for real models and the virtual clock (a model, not a measurement) where a reference policy is compared.'
    : 'Latency is measured: wall time of the model calls and tools.';
}

export type ChangeWord = 'better' | 'worse' | 'no clear change';

export interface DecisionFigure {
  metric: CompareMetric;
  /** "−1.85" or "+12.0 pts". */
  change: string;
  /** "−1.93 to −1.77". */
  interval: string;
  word: ChangeWord;
}

export interface Decision {
  /** The group: a model (comparing variants) or a variant (comparing models). */
  title: string;
  baseline: string;
  /** The best arm against the baseline; undefined when nothing was compared. */
  best: string | undefined;
  pairs: number;
  figures: DecisionFigure[];
  /** "ref:optimal: use plan-first: 1 better, none worse, 4 no clear change against baseline." */
  bottomLine: string;
}

const word = (metric: CompareMetric, c: CellComparison): ChangeWord => {
  const m = c.metrics[metric];
  if (!m.significant || m.difference === 0) return 'no clear change';
  return isImprovement(metric, m.difference) ? 'better' : 'worse';
};

/**
 * How good an arm is against the baseline: real improvements minus real
 * regressions on the decision metrics, with a real fall of success counting
 * three times; ties go to the larger cut of turns, then of input tokens.
 */
function score(c: CellComparison, metrics: readonly CompareMetric[]): [number, number, number] {
  const words = metrics.map((m) => [m, word(m, c)] as const);
  const net = words.reduce((n, [m, w]) => n + (w === 'better' ? 1 : w === 'worse' ? (m === 'success' ? -3 : -1) : 0), 0);
  return [net, -c.metrics.turns.difference, -c.metrics.inputTokens.difference];
}

const better = (a: [number, number, number], b: [number, number, number]): boolean =>
  a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];

/** Per group, the best arm against the baseline with its changes: the block report.html and summary.md open with. */
export function decisions(a: ReportModel): Decision[] {
  if (a.measured === 0) return [];
  return a.groups.map((g) => {
    const title = groupTitle(a, g);
    const baseline = armLabel(a, g.baselineId);
    const compared = g.comparisons.filter((c) => c.pairs > 0 && Number.isFinite(c.metrics.turns.difference));
    const metrics = decisionMetricsOf(g);
    const best = compared.reduce<CellComparison | undefined>((b, c) => (b === undefined || better(score(c, metrics), score(b, metrics)) ? c : b), undefined);
    if (best === undefined) {
      return { title, baseline, best: undefined, pairs: 0, figures: [], bottomLine: `${title}: nothing to compare with ${baseline}.` };
    }
    const figures = metrics.map((metric) => {
      const m = best.metrics[metric];
      const unit = METRIC_INFO[metric].unit;
      return { metric, change: formatDelta(m.difference, unit), interval: formatInterval(m.lower, m.upper, unit, true), word: word(metric, best) };
    });
    const count = (w: ChangeWord): number => figures.filter((f) => f.word === w).length;
    const arm = armLabel(a, best.armId);
    const wins = count('better');
    const losses = count('worse');
    const verdict =
      wins > 0 && losses === 0
        ? `${arm} is the best ${a.compareBy === 'variants' ? 'variant' : 'model'}`
        : wins > 0
          ? `${arm} is the best, with trade-offs`
          : `no ${a.compareBy === 'variants' ? 'variant' : 'model'} clearly beats ${baseline}; the closest is ${arm}`;
    const tally = `${wins} better, ${losses === 0 ? 'none' : losses} worse, ${count('no clear change')} no clear change`;
    return { title, baseline, best: arm, pairs: best.pairs, figures, bottomLine: `${title}: ${verdict} (${tally} against ${baseline}, ${best.pairs} pairs).` };
  });
}
