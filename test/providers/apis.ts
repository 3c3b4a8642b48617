import { createProvider, type ProviderOptions } from '../../harness/providers/registry.js';
import type { ModelRequest, Provider } from '../../harness/providers/types.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { WireServer, type WireRoute } from '../../testing/wire/wire-server.js';
import { FAKE_KEY, scenario } from './helpers.js';

/** The three APIs, each reached through its real SDK client pointed at the wire server. */
export interface ApiCase {
  name: string;
  prefix: 'openai' | 'openai-responses' | 'anthropic';
  route: WireRoute;
  baseUrl(server: WireServer): string;
}

export const API_CASES: ApiCase[] = [
  { name: 'openai chat', prefix: 'openai', route: 'chat', baseUrl: (s) => s.openaiBaseUrl },
  { name: 'openai responses', prefix: 'openai-responses', route: 'responses', baseUrl: (s) => s.openaiBaseUrl },
  { name: 'anthropic messages', prefix: 'anthropic', route: 'messages', baseUrl: (s) => s.anthropicBaseUrl },
];

export const KEY_ENV = 'BATCHBENCH_TEST_API_KEY';

/** A provider for `api` through `createProvider`, as the CLI builds it. */
export function providerFor(api: ApiCase, server: WireServer, options: ProviderOptions = {}, model = 'test-model'): Provider {
  const handle = createProvider(`${api.prefix}:${model}`, { baseUrl: api.baseUrl(server), apiKeyEnv: KEY_ENV, retryBaseDelayMs: 10, ...options });
  return handle.forScenario(scenario('fan-in'));
}

/**
 * One wire server for a test file: started before the tests with the fake key in
 * the environment, reset before each test, closed after. `use` receives it.
 */
export function useWireServer(use: (server: WireServer) => void): void {
  let server: WireServer | undefined;
  beforeAll(async () => {
    process.env[KEY_ENV] = FAKE_KEY;
    server = await WireServer.start();
    use(server);
  });
  afterAll(() => server?.close());
  beforeEach(() => server?.reset());
}

/** A one-question request, for tests of what a provider does with the answer (faults, usage), not of the request. */
export function oneQuestion(content = 'question', context: Partial<ModelRequest['context']> = {}): ModelRequest {
  return {
    system: 'sys',
    messages: [{ role: 'user', content }],
    tools: [],
    options: { parallelToolCalls: true },
    context: { scenarioId: 's', variantId: 'v', repeat: 1, turn: 1, seed: 0, ...context },
  };
}
