/**
 * A hand-made run where some sessions errored and some were skipped, for the
 * metrics and report tests. Every figure the tests expect is worked out in
 * the comments here.
 */
import { RUN_FORMAT_VERSION, type RunManifest, type SessionRecord } from '../../harness/core/run-file/records.js';
import type { LoadedRun } from '../../harness/core/run-file/run-files.js';
import { call, erroredSession, fanOut, session, skippedSession, turn } from './synthetic-sessions.js';

const dag = fanOut(4);

export function manifestOf(providers: string[], repeats: number, sessions: number): RunManifest {
  return {
    formatVersion: RUN_FORMAT_VERSION,
    runId: 'storm',
    tool: { name: 'batchbench', version: '0' },
    config: { providers: providers.map((id) => ({ id, kind: 'reference' })), variants: ['plain', 'together'], scenarios: ['fan'], repeats, concurrency: 1, seed: 1, modelLatencyMs: 0, maxTurns: 10 },
    scenarios: [{ id: 'fan', title: 'Fan-out', domain: 'd', shape: 'fan-out', difficulty: 'easy', tags: [], file: 'fan.yaml', hash: 'x', optimalTurns: 2, widths: [4], dag }],
    variants: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:01.000Z',
    state: 'finished',
    sessionsPlanned: sessions,
    sessionsWritten: sessions,
  } as unknown as RunManifest;
}

const spec = (provider: string, variant: string, repeat: number) => ({ provider, variant, scenario: 'fan', repeat, optimalTurns: 2 });

/** One call per turn: 5 turns, input 100 + 150 + 200 + 250 + 300 = 1,000. */
export const sequential = (provider: string, variant: string, repeat: number): SessionRecord =>
  session({ ...spec(provider, variant, repeat), turns: [...['n1', 'n2', 'n3', 'n4'].map((n, i) => turn(i + 1, [call(n, 'lookup', n)], 100 + 50 * i)), turn(5, [], 300)] });

/** All four calls at once: 2 turns, input 100 + 300 = 400. */
export const batched = (provider: string, variant: string, repeat: number): SessionRecord =>
  session({ ...spec(provider, variant, repeat), turns: [turn(1, ['n1', 'n2', 'n3', 'n4'].map((n) => call(n, 'lookup', n)), 100), turn(2, [], 300)] });

/** Two calls, two calls, answer: 3 turns, input 100 + 200 + 300 = 600. */
export const pairwise = (provider: string, variant: string, repeat: number): SessionRecord =>
  session({
    ...spec(provider, variant, repeat),
    turns: [turn(1, [call('n1', 'lookup', 'n1'), call('n2', 'lookup', 'n2')], 100), turn(2, [call('n3', 'lookup', 'n3'), call('n4', 'lookup', 'n4')], 200), turn(3, [], 300)],
  });

export const STORM_MESSAGE = '500 <b>storm</b> | upstream';

/**
 * Provider ref:a, 4 repeats:
 *   plain:    4 x sequential (5 turns, 1,000 input tokens each).
 *   together: r1 batched (2 turns, 400), r2 pairwise (3 turns, 600),
 *             r3 errored after one turn of 100 input tokens, r4 skipped.
 *   Measured: 2 of 4. Mean turns (2 + 3) / 2 = 2.5 (averaging the errored and
 *   skipped ones as before would give (2 + 3 + 1 + 0) / 4 = 1.5); mean input
 *   (400 + 600) / 2 = 500 (before: 1,100 / 4 = 275); success 2/2 = 100%
 *   (before: 2/4 = 50%). Token curve: r1 100, 400, 400; r2 100, 300, 600 ->
 *   100, 350, 500. Pooled: 8 calls in 3 tool turns, all in batches of 2+ ->
 *   batching rate 100%, 2.67 tools per turn -> band "above target".
 *   Pairs with plain: r1 and r2 (Δ turns −3 and −2 -> −2.5; Δ input −600
 *   and −400 -> −500); r3 and r4 dropped.
 * Provider ref:b, 2 repeats:
 *   plain:    both errored (ProviderConnectionError): nothing measured.
 *   together: 2 x batched.
 *   Pairs: 0 measured, 2 dropped.
 * Whole run: 12 sessions, 8 measured, 3 errored, 1 skipped.
 */
export function stormSessions(): SessionRecord[] {
  return [
    ...[1, 2, 3, 4].map((r) => sequential('ref:a', 'plain', r)),
    batched('ref:a', 'together', 1),
    pairwise('ref:a', 'together', 2),
    erroredSession({ ...spec('ref:a', 'together', 3), turns: [turn(1, [call('n1', 'lookup', 'n1')], 100)] }, { class: 'ProviderServerError', message: STORM_MESSAGE }),
    skippedSession(spec('ref:a', 'together', 4), 'ref:a refused the key (401)'),
    ...[1, 2].map((r) => erroredSession({ ...spec('ref:b', 'plain', r), turns: [] }, { class: 'ProviderConnectionError', message: `connect ECONNREFUSED 127.0.0.1:9 (#${r})` })),
    ...[1, 2].map((r) => batched('ref:b', 'together', r)),
  ];
}

export function stormRun(): LoadedRun {
  const sessions = stormSessions();
  return { dir: '/nonexistent', manifest: manifestOf(['ref:a', 'ref:b'], 4, sessions.length), sessions };
}

/** The same matrix with every session measured (no warning expected). */
export function calmRun(): LoadedRun {
  const sessions = [...[1, 2].map((r) => sequential('ref:a', 'plain', r)), ...[1, 2].map((r) => batched('ref:a', 'together', r))];
  return { dir: '/nonexistent', manifest: manifestOf(['ref:a'], 2, sessions.length), sessions };
}

/** Every session errored. */
export function deadRun(): LoadedRun {
  const sessions = ['plain', 'together'].flatMap((v) =>
    [1, 2].map((r) => erroredSession({ ...spec('ref:a', v, r), turns: [] }, { class: 'ProviderAuthError', message: '401 Unauthorized: check OPENAI_API_KEY' })),
  );
  return { dir: '/nonexistent', manifest: manifestOf(['ref:a'], 2, sessions.length), sessions };
}
