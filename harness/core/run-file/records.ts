/**
 * The run file's record types: `run.json` (one `RunManifest`) and
 * `sessions.jsonl` (one `SessionRecord` per line). Every type is `z.infer` of
 * the one schema (schema.ts, field docs there); every report, CSV and
 * comparison is rendered from these records alone.
 */
import type { z } from 'zod';
import type {
  callRecordSchema,
  chainCallRecordSchema,
  FINISH_REASONS,
  importedFromSchema,
  manifestSchema,
  PROVIDER_KINDS,
  scenarioManifestSchema,
  sessionBaseSchema,
  sessionErrorSchema,
  sessionLineSchema,
  SESSION_STATUSES,
  turnRecordSchema,
  turnUsageSchema,
  TRAJECTORY_MODES,
  variantManifestSchema,
} from './schema.js';

export { RUN_FORMAT_VERSION } from './schema.js';
export type { BudgetData, ChainData, HybridData, PlanData, PlanViolation, StepReport, StrategyData, TaskNode, TraceData } from './strategy-data.js';

export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export type FinishReason = (typeof FINISH_REASONS)[number];
export type TrajectoryMode = (typeof TRAJECTORY_MODES)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export type CallRecord = z.infer<typeof callRecordSchema>;
export type ChainCallRecord = z.infer<typeof chainCallRecordSchema>;
export type TurnUsage = z.infer<typeof turnUsageSchema>;
export type TurnRecord = z.infer<typeof turnRecordSchema>;
export type SessionError = z.infer<typeof sessionErrorSchema>;
/** The fields every session has, whatever its status. */
export type SessionBase = z.infer<typeof sessionBaseSchema>;
export type SessionRecord = z.infer<typeof sessionLineSchema>;

export type ScenarioManifest = z.infer<typeof scenarioManifestSchema>;
export type VariantManifest = z.infer<typeof variantManifestSchema>;
export type ImportedFrom = z.infer<typeof importedFromSchema>;
export type RunManifest = z.infer<typeof manifestSchema>;

/** A session whose figures are measurements: it ran to an answer, a wrong answer or a budget stop. */
export type MeasuredSession = Extract<SessionRecord, { status: 'completed' | 'failed' | 'budget-exceeded' }>;

/** Whether a session enters the metrics; errored and skipped sessions are counted, never averaged. */
export function isMeasured(s: SessionRecord): s is MeasuredSession {
  return s.status === 'completed' || s.status === 'failed' || s.status === 'budget-exceeded';
}
