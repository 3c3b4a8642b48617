import type { SessionRecord } from '../core/run-file/records.js';

/**
 * Mean cumulative input tokens after turn k (k = 1 .. longest session), over a
 * set of sessions. A session that ended before turn k counts with its final
 * total, so the last point is the mean input tokens per session and the curve
 * shows how the re-sent history adds up turn after turn. Callers pass
 * measured sessions only (`isMeasured`): an errored session's turns stop at
 * the error and would pull the curve down.
 */
export function meanCumulativeInput(sessions: readonly Pick<SessionRecord, 'turns'>[]): number[] {
  if (sessions.length === 0) return [];
  const longest = Math.max(...sessions.map((s) => s.turns.length));
  const sums = new Array<number>(longest).fill(0);
  for (const s of sessions) {
    let cum = 0;
    for (let k = 0; k < longest; k++) {
      const t = s.turns[k];
      if (t) cum += t.usage.inputTokens;
      sums[k] = (sums[k] as number) + cum;
    }
  }
  return sums.map((x) => x / sessions.length);
}
