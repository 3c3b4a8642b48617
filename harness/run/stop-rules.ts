import type { TurnRecord } from '../core/run-file/records.js';

/** A stop rule looks at the turns so far and returns why the session must stop, or undefined. */
export type StopRule = (turns: readonly TurnRecord[]) => string | undefined;

export const maxTurns =
  (n: number): StopRule =>
  (turns) =>
    turns.length >= n ? `reached the limit of ${n} model turns` : undefined;

export const maxToolCalls =
  (n: number): StopRule =>
  (turns) =>
    turns.reduce((acc, t) => acc + t.calls.length, 0) >= n ? `reached the limit of ${n} tool calls` : undefined;

/** The turn limit of a scenario's sessions: its own `max_turns` when it sets one, else the run's `--max-turns`. */
export const turnLimitOf = (scenario: { maxTurns?: number | undefined }, runMaxTurns: number): StopRule => maxTurns(scenario.maxTurns ?? runMaxTurns);

/** The first reason any rule gives. */
export function firstStop(rules: readonly StopRule[], turns: readonly TurnRecord[]): string | undefined {
  for (const rule of rules) {
    const reason = rule(turns);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
