import { trajectoryMatches, type Calls, type TrajectoryMode } from '../core/trajectory.js';
import type { SuccessCheck } from './success.js';
import type { Scenario } from './types.js';

/**
 * The success check with the scenario's `success.trajectory` applied: a session
 * whose calls miss the mode fails (with `trajectory.passed` false) even when its
 * answer is right. Without a mode the check is returned as it was.
 */
export function withTrajectory<C extends SuccessCheck>(
  check: C,
  scenario: Pick<Scenario, 'success' | 'expectedCalls'>,
  calls: Calls,
): C & { trajectory?: { mode: TrajectoryMode; passed: boolean } } {
  const mode = scenario.success.trajectory;
  if (mode === undefined) return check;
  const passed = trajectoryMatches(mode, calls, scenario.expectedCalls, scenario.success.requiredCalls);
  return { ...check, passed: check.passed && passed, trajectory: { mode, passed } };
}
