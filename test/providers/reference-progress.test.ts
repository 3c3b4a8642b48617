import { describe, expect, it } from 'vitest';
import { progressFromHistory, readyCalls } from '../../harness/providers/reference/reference-policy.js';
import type { Message } from '../../harness/providers/types.js';
import { fixtureScenario } from '../helpers.js';

/** A session's history, turn by turn: each turn calls every ready expected call; `failing` come back as errors. */
function history(name: string, failing: ReadonlySet<string> = new Set()): Message[][] {
  const scenario = fixtureScenario(name);
  const messages: Message[] = [{ role: 'user', content: 'go' }];
  const snapshots: Message[][] = [messages.slice()];
  const done = new Set<string>();
  for (let turn = 1; turn < 10; turn += 1) {
    const ready = readyCalls(scenario, done, done);
    if (ready.length === 0) break;
    messages.push({ role: 'assistant', parts: ready.map((c, i) => ({ type: 'tool-call', id: `call_${turn}_${i}`, name: c.tool, args: { ...c.args }, rawArgs: JSON.stringify(c.args) })) });
    snapshots.push(messages.slice());
    const results = ready.map((c, i) => ({ type: 'tool-result' as const, callId: `call_${turn}_${i}`, toolName: c.tool, content: 'ok', isError: failing.has(c.id) && turn === 1 }));
    messages.push({ role: 'tool', results });
    snapshots.push(messages.slice());
    for (const [i, c] of ready.entries()) if (!results[i]?.isError) done.add(c.id);
  }
  return snapshots;
}

/** The progress of a history read from scratch: its messages copied, so nothing read before applies. */
const fresh = (scenario: Parameters<typeof progressFromHistory>[0], messages: readonly Message[]) =>
  progressFromHistory(scenario, { messages: messages.map((m) => ({ ...m }) as Message) });

describe('the reference policies read a history as it grows', () => {
  for (const name of ['chain', 'diamond', 'fan-out']) {
    it(`${name}: each turn's progress is the progress of the whole history read afresh`, () => {
      const scenario = fixtureScenario(name);
      const first = scenario.expectedCalls[0]?.id ?? '';
      for (const failing of [new Set<string>(), new Set([first])]) {
        const snapshots = history(name, failing);
        expect(snapshots.length).toBeGreaterThan(2);
        const seen: { issued: Set<string>; done: Set<string> }[] = [];
        for (const messages of snapshots) {
          const progress = progressFromHistory(scenario, { messages });
          expect(progress).toEqual(fresh(scenario, messages));
          seen.push(progress);
        }
        // Earlier answers are the caller's: reading further does not change them.
        expect(seen[0]).toEqual({ issued: new Set(), done: new Set() });
        expect(seen.at(-1)?.done.size).toBe(scenario.expectedCalls.length);
      }
    });
  }

  it('a history that is not the last one continued (a message replaced) is read from its start', () => {
    const scenario = fixtureScenario('diamond');
    const snapshots = history('diamond');
    const whole = snapshots.at(-1) as Message[];
    progressFromHistory(scenario, { messages: whole });
    // The same first message, then a different second message: nothing of the last reading applies.
    const other: Message[] = [whole[0] as Message, { role: 'assistant', parts: [] }];
    expect(progressFromHistory(scenario, { messages: other })).toEqual({ issued: new Set(), done: new Set() });
    expect(progressFromHistory(scenario, { messages: whole })).toEqual(fresh(scenario, whole));
  });
});
