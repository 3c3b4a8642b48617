import type { CallRecord, ChainCallRecord, SessionRecord, TurnRecord } from './records.js';

/** One call in session order: `turn` is the model turn it was made in, or for a harness call the turn it came before. */
export interface OrderedCall {
  call: CallRecord;
  turn: number;
  /** True for calls the harness made between model turns. */
  harness: boolean;
  /** Position of the call's batch: calls with equal `batch` ran side by side. */
  batch: number;
}

/** The session's calls in the order they were made. */
export function orderedCalls(session: Pick<SessionRecord, 'turns' | 'chainCalls'>): OrderedCall[] {
  const chain: readonly ChainCallRecord[] = session.chainCalls ?? [];
  const out: OrderedCall[] = [];
  let batch = 0;
  const harnessBefore = (turn: number, orLater: boolean): void => {
    if (chain.length === 0) return;
    const mine = chain.filter((c) => c.beforeTurn === turn || (orLater && c.beforeTurn > turn));
    const waves = [...new Set(mine.map((c) => `${c.beforeTurn}:${c.wave}`))];
    for (const w of waves) {
      batch += 1;
      for (const c of mine.filter((x) => `${x.beforeTurn}:${x.wave}` === w)) out.push({ call: c, turn: c.beforeTurn, harness: true, batch });
    }
  };
  const turns: readonly Pick<TurnRecord, 'index' | 'calls'>[] = session.turns;
  for (const t of turns) {
    harnessBefore(t.index, false);
    batch += 1;
    for (const c of t.calls) out.push({ call: c, turn: t.index, harness: false, batch });
  }
  harnessBefore(turns.length + 1, true);
  return out;
}
