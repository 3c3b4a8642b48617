import type { RunManifest, SessionRecord } from '../core/run-file/records.js';
import type { CutLine } from '../core/run-file/read-run.js';
import type { CompareAxis, ComparisonGroup } from './compare-axis.js';
import type { VariantSavings } from './counterfactual-run.js';
import type { DrillScenario } from './drill-down-sample.js';
import type { ErrorBreakdown } from './error-breakdown.js';
import type { HolmScope } from './holm-scope.js';
import type { PlanSummary } from './plan-metrics.js';
import type { PriceTable } from './prices.js';
import type { SessionReport } from './session-report.js';
import type { GroupSummary } from './summary.js';
import type { VariantStats } from './variant-stats.js';

export interface ProviderAnalysis {
  id: string;
  kind: string;
  variants: VariantStats[];
}

export interface ScenarioOverhead {
  scenarioId: string;
  title: string;
  optimalTurns: number;
  /** Mean turn overhead per provider x variant group over its measured sessions (NaN: none measured). */
  cells: { providerId: string; variantId: string; sessions: number; measured: number; meanOverhead: number; meanMissed: number }[];
}

/**
 * Everything the reports and the CLI's table show of a run, computed once by
 * `analyseRun` from the run file alone. Reporters render it; they compute no
 * figure of their own.
 */
export interface ReportModel {
  runId: string;
  /** The run file the figures come from: the manifest, and the session records in run order. */
  manifest: RunManifest;
  records: readonly SessionRecord[];
  /** The last line of sessions.jsonl when it was cut short by a crash; that session is left out. */
  cutLine?: CutLine;
  /** The axis of `groups`: variants within each provider, or models within each variant. */
  compareBy: CompareAxis;
  /** Baseline variant (comparing variants; the token picture uses its curves either way). */
  baseline: string;
  /** Baseline provider (comparing models). */
  baselineProvider: string;
  variantIds: string[];
  confidence: number;
  resamples: number;
  seed: number;
  priceModel: string;
  prices: PriceTable;
  bandRule: string;
  holmScope: HolmScope;
  /** What the intervals speak for: this suite's tasks, or (`--generalize tasks`) tasks like these. */
  generalize: 'suite' | 'tasks';
  /** Tests in the `all` family (0 under `metric`). */
  holmTests: number;
  providers: ProviderAnalysis[];
  /** The paired comparisons along the axis, one group per provider (comparing variants) or per variant (comparing models). */
  groups: ComparisonGroup[];
  scenarios: ScenarioOverhead[];
  /** The `ref:optimal` curve (baseline variant) when the run has that policy. */
  optimalCurve: number[] | undefined;
  /** Per-session metrics, figures (an errored or skipped session's enter no statistic), missed calls and savings, index for index with `records`. */
  perSession: SessionReport[];
  /** Per provider x variant (first seen): status counts, means and medians over the measured sessions (summary.csv, the CLI's table). */
  summaries: GroupSummary[];
  /** Plan metrics per provider x variant of the variants whose plans are scored; empty when none is. */
  plans: PlanSummary[];
  /** Counterfactual savings per provider x variant (first seen). */
  savings: VariantSavings[];
  /** The sessions that entered no figure, per provider and per error class. */
  errors: ErrorBreakdown;
  /** The sessions report.html's drill-down shows, per scenario. */
  drillDown: DrillScenario[];
  /** Every session of the run, measured or not. */
  sessions: number;
  /** Sessions every figure rests on (`isMeasured`); the rest errored or were skipped. */
  measured: number;
}
