import type { CallRecord, SessionRecord } from '../core/run-file/records.js';
import { orderedCalls, type OrderedCall } from '../core/run-file/session-calls.js';

export { orderedCalls, type OrderedCall } from '../core/run-file/session-calls.js';
import { jsonEqual } from '../core/match-args.js';

/**
 * Waste beside batching: calls that should not have been made. Computed from
 * the recorded calls alone; definitions in docs/metrics.md ("Waste").
 *
 * The session's calls are taken in the order they were made: before model turn
 * k come the calls the harness made before it (chain, hybrid, plan: `beforeTurn`
 * k, by wave), then the calls of turn k in the order the model gave them.
 * Harness calls count like model calls (they are in `toolCalls` too): a model
 * that repeats what the harness already fetched makes a duplicate. Only model
 * turns can be wasted turns.
 */
export interface WasteFigures {
  /**
   * Calls with the same tool and canonically equal arguments as an earlier call of the session that returned without error,
   * except a call standing for an expected call no earlier call matched (the scenario expects that call more than once).
   */
  duplicateCalls: number;
  /** Calls that matched no expected call of the scenario. */
  unexpectedCalls: number;
  /** Calls the tool answered with an error. */
  failedCalls: number;
  /** Failed calls followed, in a later turn, by a successful call of the same tool standing for the same expected call. */
  recoveredCalls: number;
  /** Failed calls never recovered. */
  unrecoveredCalls: number;
  /** Model turns that made calls, every one of them a duplicate or unexpected. */
  wastedTurns: number;
  /** Input tokens of the wasted turns. */
  wastedInputTokens: number;
}

/** What the waste figures say about one call. */
export interface CallMark {
  /** Position in session order (see above) of the earlier successful call this one repeats. */
  duplicateOf: number | undefined;
  unexpected: boolean;
  failed: boolean;
  recovered: boolean;
}

const sameCall = (a: CallRecord, b: CallRecord): boolean =>
  a.name === b.name && (a.args === undefined || b.args === undefined ? a.args === b.args && a.rawArgs === b.rawArgs : jsonEqual(a.args, b.args));

/** The mark of every call, in `orderedCalls` order. */
export function markCalls(calls: readonly OrderedCall[]): CallMark[] {
  return calls.map((x, i) => {
    // A scenario may expect one call twice (the same random draw, say): a call standing for an expected call no earlier call matched is no duplicate.
    const firstOfNode = x.call.node !== null && !calls.slice(0, i).some((earlier) => earlier.call.node === x.call.node);
    let duplicateOf: number | undefined;
    for (let j = 0; j < i && duplicateOf === undefined && !firstOfNode; j++) {
      const earlier = calls[j] as OrderedCall;
      if (!earlier.call.isError && sameCall(earlier.call, x.call)) duplicateOf = j;
    }
    const failed = x.call.isError;
    const recovered =
      failed &&
      calls.some((later) => later.batch > x.batch && !later.call.isError && later.call.name === x.call.name && (x.call.node === null || later.call.node === x.call.node));
    return { duplicateOf, unexpected: x.call.node === null, failed, recovered };
  });
}

/** Waste figures of one session. */
export function wasteFigures(session: Pick<SessionRecord, 'turns' | 'chainCalls'>): WasteFigures {
  const calls = orderedCalls(session);
  return wasteFiguresOf(session, calls, markCalls(calls));
}

/** Waste figures of one session from its calls in session order (`orderedCalls`) and their marks (`markCalls`). */
export function wasteFiguresOf(session: Pick<SessionRecord, 'turns'>, calls: readonly OrderedCall[], marks: readonly CallMark[]): WasteFigures {
  const count = (f: (m: CallMark) => boolean): number => marks.filter(f).length;
  let wastedTurns = 0;
  let wastedInputTokens = 0;
  for (const t of session.turns) {
    const mine = marks.filter((_, i) => !(calls[i] as OrderedCall).harness && (calls[i] as OrderedCall).turn === t.index);
    if (mine.length > 0 && mine.every((m) => m.duplicateOf !== undefined || m.unexpected)) {
      wastedTurns += 1;
      wastedInputTokens += t.usage.inputTokens;
    }
  }
  const failedCalls = count((m) => m.failed);
  const recoveredCalls = count((m) => m.recovered);
  return {
    duplicateCalls: count((m) => m.duplicateOf !== undefined),
    unexpectedCalls: count((m) => m.unexpected),
    failedCalls,
    recoveredCalls,
    unrecoveredCalls: failedCalls - recoveredCalls,
    wastedTurns,
    wastedInputTokens,
  };
}
