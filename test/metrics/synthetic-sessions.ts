/**
 * Synthetic sessions for the statistics tests: the reference policies' own
 * batch choice (`chooseBatch`) played over a dependency graph, with no loop,
 * tokenizer or disk, so hundreds of runs take milliseconds.
 */
import { chooseBatch, type ReferencePolicy } from '../../harness/providers/reference/reference-policy.js';
import { RUN_FORMAT_VERSION, type CallRecord, type ScenarioManifest, type SessionRecord, type TurnRecord } from '../../harness/core/run-file/records.js';
import type { ExpectedCall } from '../../harness/scenarios/schema.js';
import { analyseDag } from '../../harness/core/dag.js';

export type Dag = ScenarioManifest['dag'];

export const fanOut = (width: number): Dag => Array.from({ length: width }, (_, i) => ({ id: `n${i + 1}`, tool: 'lookup', args: { i: i + 1 }, needs: [] }));

export const diamond: Dag = [
  { id: 'trip', tool: 'get_trip', args: {}, needs: [] },
  { id: 'weather', tool: 'weather', args: {}, needs: ['trip'] },
  { id: 'hotel', tool: 'hotel', args: {}, needs: ['trip'] },
  { id: 'total', tool: 'total_cost', args: {}, needs: ['weather', 'hotel'] },
];

export function call(id: string, name: string, node: string | null, extra: Partial<CallRecord> = {}): CallRecord {
  return { id, name, args: {}, rawArgs: '{}', node, depsSatisfied: true, result: '{}', isError: false, latencyMs: 0, ...extra };
}

/** A turn with the given calls; input tokens 100 per turn plus 50 per earlier call (the re-sent history). */
export function turn(index: number, calls: CallRecord[], inputTokens = 100, outputTokens = 20): TurnRecord {
  return {
    index,
    requestMessages: 1,
    requestChars: 0,
    text: calls.length === 0 ? 'done' : '',
    finishReason: calls.length === 0 ? 'stop' : 'tool-calls',
    calls,
    usage: { inputTokens, outputTokens, cachedInputTokens: 0, estimated: true },
    virtual: { startMs: 0, modelMs: 0, toolsMs: 0, endMs: 0 },
    realLatencyMs: 0,
    retries: 0,
  };
}

export interface SessionSpec {
  provider?: string;
  variant: string;
  scenario: string;
  repeat: number;
  turns: TurnRecord[];
  optimalTurns: number;
  status?: 'completed' | 'failed';
}

export function session(spec: SessionSpec): SessionRecord {
  const provider = spec.provider ?? 'ref:stochastic:0.5';
  return {
    formatVersion: RUN_FORMAT_VERSION,
    runId: 'synthetic',
    key: `${provider}|${spec.variant}|${spec.scenario}|${spec.repeat}`,
    provider: { id: provider, kind: 'reference' },
    variantId: spec.variant,
    strategy: 'loop',
    scenarioId: spec.scenario,
    repeat: spec.repeat,
    seed: 0,
    optimalTurns: spec.optimalTurns,
    turns: spec.turns,
    finalAnswer: 'done',
    success: { passed: spec.status !== 'failed', missingCalls: [], missingFacts: [] },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    virtualMs: 0,
    realMs: 0,
    status: spec.status ?? 'completed',
  };
}

/** A session that hit an error after the given turns (often none): counted, never averaged. */
export function erroredSession(spec: Omit<SessionSpec, 'status'>, error: { class: string; message: string }): SessionRecord {
  const base = session(spec);
  return { ...base, status: 'errored', error, finalAnswer: null, success: { passed: false, missingCalls: [], missingFacts: [] } } as SessionRecord;
}

/** A session never started because its provider had halted. */
export function skippedSession(spec: Omit<SessionSpec, 'status' | 'turns'>, reason: string): SessionRecord {
  const base = session({ ...spec, turns: [] });
  return { ...base, status: 'skipped', reason, finalAnswer: null, success: { passed: false, missingCalls: [], missingFacts: [] } } as SessionRecord;
}

/** Plays a reference policy over `dag` (every call succeeds) and records the session. */
export function simulate(policy: ReferencePolicy, dag: Dag, seed: number, spec: Omit<SessionSpec, 'turns' | 'optimalTurns'>): SessionRecord {
  const calls = dag as unknown as ExpectedCall[];
  const order = analyseDag(calls).order;
  const byId = new Map(dag.map((n) => [n.id, n]));
  const done = new Set<string>();
  const turns: TurnRecord[] = [];
  let history = 0;
  while (done.size < dag.length) {
    const ready = order.map((id) => byId.get(id) as Dag[number]).filter((n) => !done.has(n.id) && n.needs.every((x) => done.has(x)));
    const batch = chooseBatch(policy, ready as unknown as ExpectedCall[], seed, turns.length + 1);
    const index = turns.length + 1;
    turns.push(turn(index, batch.map((n, i) => call(`c${index}_${i}`, n.tool, n.id)), 100 + 50 * history));
    history += batch.length;
    for (const n of batch) done.add(n.id);
  }
  turns.push(turn(turns.length + 1, [], 100 + 50 * history));
  return session({ ...spec, turns, optimalTurns: analyseDag(calls).optimalTurns });
}

/**
 * Expected tool turns of the stochastic policy on a fan-out of `width`
 * independent calls: each turn issues one remaining call plus each other
 * remaining call with probability p, so with r left
 *   E[T(r)] = 1 + Σ_k C(r−1, k) p^k (1−p)^(r−1−k) E[T(r−1−k)],  E[T(0)] = 0.
 */
export function expectedFanOutToolTurns(width: number, p: number): number {
  const e: number[] = [0];
  const choose = (n: number, k: number): number => {
    let c = 1;
    for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
    return c;
  };
  for (let r = 1; r <= width; r++) {
    let sum = 1;
    for (let k = 0; k <= r - 1; k++) sum += choose(r - 1, k) * p ** k * (1 - p) ** (r - 1 - k) * (e[r - 1 - k] as number);
    e.push(sum);
  }
  return e[width] as number;
}
