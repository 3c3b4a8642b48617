import { RUN_FORMAT_VERSION, type SessionRecord } from '../core/run-file/records.js';
import { checkSuccess } from '../scenarios/success.js';
import type { PlannedSession } from './run-suite.js';

/**
 * The record of a planned session that was never started (its provider halted):
 * no turns, no answer, success not passed, zero time; `reason` says why. It is a
 * whole `SessionRecord`, so every reader takes it, and `isMeasured` keeps it out of the metrics.
 */
export function skippedRecord(runId: string, p: PlannedSession, reason: string): SessionRecord {
  const now = new Date().toISOString();
  return {
    formatVersion: RUN_FORMAT_VERSION,
    runId,
    key: p.key,
    provider: { id: p.provider.id, kind: p.provider.kind },
    variantId: p.variant.id,
    strategy: p.variant.strategy,
    scenarioId: p.scenario.id,
    repeat: p.repeat,
    seed: p.seed,
    optimalTurns: p.scenario.dag.optimalTurns,
    turns: [],
    finalAnswer: null,
    success: checkSuccess(p.scenario, new Set(), undefined),
    startedAt: now,
    finishedAt: now,
    virtualMs: 0,
    realMs: 0,
    status: 'skipped',
    reason,
  };
}
