import { latencyFor } from '../core/model-latency.js';
import type { ComparisonGroup } from '../metrics/compare-axis.js';
import type { ReportModel } from '../metrics/report-model.js';
import type { RunManifest } from '../core/run-file/records.js';
import { METRIC_INFO, type CompareMetric } from '../metrics/stat-metrics.js';
import { cellLabel } from './axis-labels.js';
import { formatInterval, formatValue } from './format.js';

/**
 * For the cells of real models in a group: the measured latency per session
 * first, then the virtual clock, labelled as the model it is (the charged
 * latency per model call plus the mocked tools'). Undefined when the group
 * holds no real model: reference policies have no latency to measure.
 */
export function latencySentence(manifest: RunManifest, a: ReportModel, g: ComparisonGroup): string | undefined {
  const cells = g.cells.filter((v) => v.providerKind === 'model' && v.measured > 0);
  if (cells.length === 0) return undefined;
  const interval = (lower: number, upper: number): string =>
    Number.isFinite(lower) && Number.isFinite(upper) ? ` (${Math.round(a.confidence * 100)}% CI ${formatInterval(lower, upper, 'ms')} ms)` : ' (no interval: too few sessions)';
  const measured = cells.map((v) => `${cellLabel(a, v)} ${formatValue(v.stats.realMs.mean, 'ms')} ms${interval(v.stats.realMs.lower, v.stats.realMs.upper)}`);
  const charged = [...new Set(cells.map((v) => latencyFor(v.providerId, manifest.config.modelLatencyMs, manifest.config.modelLatencyByProvider)))];
  const virtual = cells.map((v) => `${cellLabel(a, v)} ${formatValue(v.stats.virtualMs.mean, 'ms')} ms`);
  return (
    `Latency per session, measured (wall time of the model calls and tools): ${measured.join('; ')}. ` +
    `The virtual clock is a model, not a measurement (${charged.map((ms) => `${ms} ms`).join(' or ')} charged per model call, set with --model-latency, plus the mocked tools' latency): ${virtual.join('; ')}.`
  );
}

/**
 * Where a group holds a real model, its latency rows are the measured wall time first, then the virtual
 * clock named as the model it is; a group of reference policies has no latency to measure and keeps the
 * virtual clock alone, under its usual title. One rule for report.html, compare.md and compare.html.
 */
export function latencyRows<M extends CompareMetric>(metrics: readonly M[], measured: boolean): (M | 'realMs')[] {
  if (!measured) return [...metrics];
  return metrics.flatMap((m): (M | 'realMs')[] => (m === 'virtualMs' ? ['realMs', m] : [m]));
}

/** A metric row's title, the latency rows of a real model's group saying which is measured and which is modelled. */
export function rowTitle(metric: CompareMetric, measured: boolean): string {
  if (measured && metric === 'realMs') return 'Latency, measured (ms)';
  if (measured && metric === 'virtualMs') return 'Latency, virtual clock (ms; a model, not a measurement)';
  return METRIC_INFO[metric].label;
}
