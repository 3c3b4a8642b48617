import type { SessionRecord, TrajectoryMode } from './run-file/records.js';
import { orderedCalls } from './run-file/session-calls.js';

/**
 * Trajectory match: the calls a session made against the scenario's expected
 * calls. Definitions in docs/metrics.md ("Trajectory") and docs/scenarios.md.
 */

export { TRAJECTORY_MODES } from './run-file/trajectory-modes.js';
export type { TrajectoryMode } from './run-file/records.js';

/** The expected calls as the run file keeps them: ids and what each needs. */
export type ExpectedNode = { id: string; needs: readonly string[] };

export interface TrajectoryFigures {
  /** Distinct expected calls made / calls made (1 when no call was made). */
  precision: number;
  /** Required expected calls made / required expected calls (1 when none is required). */
  recall: number;
}

export type Calls = Pick<SessionRecord, 'turns' | 'chainCalls'>;

/** Precision and recall of one session's calls; a call counts as made whether or not the tool answered with an error. */
export function trajectoryFigures(session: Calls, required: readonly string[]): TrajectoryFigures {
  const calls = orderedCalls(session);
  const made = new Set(calls.flatMap((c) => (c.call.node === null ? [] : [c.call.node])));
  return {
    precision: calls.length === 0 ? 1 : made.size / calls.length,
    recall: required.length === 0 ? 1 : required.filter((id) => made.has(id)).length / required.length,
  };
}

/**
 * Whether the calls satisfy a trajectory mode. Each mode adds to the one below it:
 * - `subset`: every call matched an expected call (nothing unexpected);
 * - `superset`: every required expected call was made (extra calls allowed);
 * - `any-order`: both of the above;
 * - `in-order`: any-order, and each expected call was first made in a later
 *   batch than the first call of every expected call it needs;
 * - `strict`: in-order, and no expected call was made more than once.
 */
export function trajectoryMatches(mode: TrajectoryMode, session: Calls, expected: readonly ExpectedNode[], required: readonly string[]): boolean {
  const calls = orderedCalls(session);
  const subset = calls.every((c) => c.call.node !== null);
  const firstBatch = new Map<string, number>();
  const times = new Map<string, number>();
  for (const c of calls) {
    if (c.call.node === null) continue;
    if (!firstBatch.has(c.call.node)) firstBatch.set(c.call.node, c.batch);
    times.set(c.call.node, (times.get(c.call.node) ?? 0) + 1);
  }
  const superset = required.every((id) => firstBatch.has(id));
  if (mode === 'subset') return subset;
  if (mode === 'superset') return superset;
  if (!subset || !superset) return false;
  if (mode === 'any-order') return true;
  const needs = new Map(expected.map((e) => [e.id, e.needs]));
  const ordered = [...firstBatch].every(([id, batch]) =>
    (needs.get(id) ?? []).every((d) => {
      const at = firstBatch.get(d);
      return at !== undefined && at < batch;
    }),
  );
  if (mode === 'in-order') return ordered;
  return ordered && [...times.values()].every((n) => n === 1);
}
