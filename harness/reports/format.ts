import type { MetricComparison } from '../metrics/comparison.js';
import { METRIC_INFO, type CompareMetric, type MetricUnit } from '../metrics/stat-metrics.js';
import { formatDelta, formatValue } from '../metrics/format-units.js';

export { formatDelta, formatValue } from '../metrics/format-units.js';

/** Text formatting shared by the Markdown and HTML reports. Plain strings: callers escape for their format. */

export function formatInterval(lower: number, upper: number, unit: MetricUnit, delta = false): string {
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) return 'no interval';
  const f = delta ? formatDelta : formatValue;
  return `${f(lower, unit)} to ${f(upper, unit)}`;
}

export function formatRelative(x: number): string {
  if (!Number.isFinite(x)) return '';
  const sign = x > 0 ? '+' : x < 0 ? '−' : '±';
  return `${sign}${Math.abs(x * 100).toFixed(1)}%`;
}

/** Provider label that never lets a reference policy pass for a model. */
export function providerLabel(id: string, kind: string): string {
  if (kind === 'reference') return `${id} (reference policy)`;
  if (kind === 'scripted') return `${id} (scripted test provider)`;
  return id;
}

/** Whether a change is an improvement in the metric's good direction. */
export function isImprovement(metric: CompareMetric, difference: number): boolean {
  return METRIC_INFO[metric].better === 'lower' ? difference < 0 : difference > 0;
}

/**
 * A flagged change in words and symbol, by the metric's direction in
 * METRIC_INFO: "✓ better" (fewer turns, tokens, cost; more batching, success)
 * or "✗ worse".
 */
export function directionMark(metric: CompareMetric, difference: number): '✓ better' | '✗ worse' {
  return isImprovement(metric, difference) ? '✓ better' : '✗ worse';
}

/** Said beside every flag legend: what ✓ better and ✗ worse mean. */
export const DIRECTION_SENTENCE =
  '✓ better / ✗ worse say which way a real change goes by the metric\'s direction: fewer turns, calls, tokens, cost and latency are better; a higher batching rate, tools per turn, efficiency, success and cached input are better.';

/** "−0.45 turns (−12.3%; 95% CI −0.70 to −0.20), real change" and similar. */
export function describeChange(metric: CompareMetric, c: MetricComparison, confidence: number): string {
  const info = METRIC_INFO[metric];
  const rel = info.unit === 'share' ? '' : formatRelative(c.relative);
  const ci = `${Math.round(confidence * 100)}% CI ${formatInterval(c.lower, c.upper, info.unit, true)}`;
  const verdict = c.significant ? (isImprovement(metric, c.difference) ? 'real improvement' : 'real worsening') : 'not a clear change';
  return `${formatDelta(c.difference, info.unit)}${rel ? ` (${rel})` : ''}, ${ci}: ${verdict}`;
}

export const INTERVAL_SENTENCE = (confidence: number): string =>
  `The interval is a ${Math.round(confidence * 100)}% confidence interval from a seeded bootstrap: differences are paired by scenario and repeat, so each pair holds the task constant, and the interval is the range of mean differences compatible with the sessions run.`;

/** What the intervals speak for: this suite's tasks (default) or, with --generalize tasks, tasks like these. */
export const SCOPE_SENTENCE = (generalize: 'suite' | 'tasks'): string =>
  generalize === 'tasks'
    ? 'The intervals speak for tasks like these (--generalize tasks): a two-level bootstrap resamples the tasks, then the sessions within each task, so they include how much the effect varies from task to task.'
    : "The intervals speak for this suite's tasks: the tasks are held fixed and sessions are resampled within each task. For tasks like these beyond the suite, use --generalize tasks (a two-level bootstrap, wider intervals).";

/** `arms`: what is compared with the baseline, "variants" or "models". */
export const FLAG_SENTENCE = (arms = 'variants'): string =>
  `A change is flagged as real only when that interval excludes zero after Holm's correction for the number of ${arms} compared against the baseline; an unflagged change may be noise.`;

/** Said wherever variants (or versions of a prompt) are compared under a reference policy. */
export const REFERENCE_PROMPT_SENTENCE =
  "Reference policies ignore the prompt's wording and share their random draws across variants: variants with the same strategy and parallel-call setting get the same turns, calls and batching under them, and only token counts can differ.";

/** Whether a run's reports compare variants under a reference policy (then they say REFERENCE_PROMPT_SENTENCE). */
export function comparesVariantsUnderReference(a: { compareBy: string; providers: readonly { kind: string; variants: readonly unknown[] }[] }): boolean {
  return a.compareBy === 'variants' && a.providers.some((p) => p.kind === 'reference' && p.variants.length > 1);
}

export const REFERENCE_SENTENCE =
  'Reference policies (ref:*) are computed from each task\'s dependency structure, not by a model: they bound what the tasks allow and are never model results.';
