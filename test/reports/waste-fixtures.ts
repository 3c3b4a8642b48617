/** Scripted fan-out sessions for the waste tests: one wasteful, one clean. */
import type { ProviderHandle } from '../../harness/providers/registry.js';
import type { ModelResponse, Provider } from '../../harness/providers/types.js';

export const turn = (inputTokens: number, ...services: (string | [string, Record<string, unknown>])[]): ModelResponse => ({
  parts: services.map((s, i) => {
    const [name, args] = typeof s === 'string' ? ['service_status', { service: s }] : s;
    return { type: 'tool-call', id: `t${inputTokens}_${i + 1}`, name, args, rawArgs: JSON.stringify(args) };
  }),
  finishReason: 'tool-calls',
  usage: { inputTokens, outputTokens: 10 },
});
export const answer = (inputTokens: number): ModelResponse => ({
  parts: [{ type: 'text', text: 'db is degraded; the queue has a backlog of 1,204.' }],
  finishReason: 'stop',
  usage: { inputTokens, outputTokens: 20 },
});

/**
 * The session of test/metrics/waste.test.ts: 2 duplicates, 1 unexpected call, 2 failed
 * (1 recovered), turn 3 wasted (300 input tokens), precision 4/8, on the fan-out fixture.
 */
export const WASTEFUL: ModelResponse[] = [
  turn(100, ['service_status', { service: 'api', verbose: true }], 'db'),
  turn(200, 'api', 'db', 'cache'),
  turn(300, 'cache', ['service_health', { service: 'web' }]),
  turn(400, 'queue'),
  answer(500),
];

/** The optimal 4 calls in one turn, then the answer. */
export const CLEAN: ModelResponse[] = [turn(100, 'api', 'db', 'cache', 'queue'), answer(200)];

/** A model `scripted:waste` that answers by the variant and turn in the request, so every session of a variant plays the same script. */
export function scriptedByVariant(scripts: Record<string, readonly ModelResponse[]>): ProviderHandle {
  return {
    id: 'scripted:waste',
    kind: 'scripted',
    forScenario: (): Provider => ({
      id: 'scripted:waste',
      kind: 'scripted',
      generate: (request) => Promise.resolve(scripts[request.context.variantId]?.[request.context.turn - 1] ?? answer(1)),
    }),
  };
}

