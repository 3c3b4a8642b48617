import { UsageError } from '../core/errors.js';
import type { Scenario } from '../scenarios/types.js';
import { anthropicFactory } from './anthropic.js';
import { openaiChatFactory } from './openai-chat.js';
import { openaiResponsesFactory } from './openai-responses.js';
import { parseReferencePolicy, policyId, ReferencePolicyProvider } from './reference/reference-policy.js';
import type { Provider, ProviderKind } from './types.js';

/** Settings shared by model providers; reference policies ignore them. */
export interface ProviderOptions {
  baseUrl?: string;
  temperature?: number;
  maxTokens?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** First retry backoff in ms (doubles per retry, with jitter); server `retry-after` wins. */
  retryBaseDelayMs?: number;
  /** Longest backoff between retries in ms. */
  retryMaxDelayMs?: number;
  concurrency?: number;
  requestsPerMinute?: number;
  /** Name of the environment variable holding the API key. */
  apiKeyEnv?: string;
  /** Directory to record requests and raw responses into. */
  recordDir?: string;
  /** Directory of recordings to serve instead of calling the provider. */
  replayDir?: string;
}

/**
 * A provider configured for a run. Model providers return the same `Provider`
 * for every scenario (one client, one rate limiter); reference policies bind
 * to the scenario whose dependency structure they read.
 */
export interface ProviderHandle {
  readonly id: string;
  readonly kind: ProviderKind;
  /** The provider for one session of `scenario`; `session` says what the session's variant asks for. */
  forScenario(scenario: Scenario, session?: SessionBinding): Provider;
  close?(): Promise<void>;
}

/** What a reference policy is told of a session when bound to it, so it never reads the prompt's wording. */
export interface SessionBinding {
  /** The variant asks the model to write a JSON plan of parallel groups before its first calls. */
  expectsPlan?: boolean;
}

/** Builds a handle from the part of the spec after `<prefix>:`. */
export type ProviderFactory = (rest: string, options: ProviderOptions) => ProviderHandle;

const referenceFactory: ProviderFactory = (rest) => {
  const policy = parseReferencePolicy(rest);
  if (!policy) throw new UsageError(`unknown reference policy "ref:${rest}"; use ref:sequential, ref:optimal or ref:stochastic:<p> with p in [0, 1]`);
  return { id: policyId(policy), kind: 'reference', forScenario: (scenario, session) => new ReferencePolicyProvider(policy, scenario, session?.expectsPlan === true) };
};

/** Providers by the prefix of their spec (`ref:optimal`, `openai:gpt-4o`, ...). */
export const providerFactories: Record<string, ProviderFactory> = {
  ref: referenceFactory,
  openai: openaiChatFactory,
  'openai-responses': openaiResponsesFactory,
  anthropic: anthropicFactory,
};

export function createProvider(spec: string, options: ProviderOptions = {}): ProviderHandle {
  const colon = spec.indexOf(':');
  const prefix = colon < 0 ? spec : spec.slice(0, colon);
  const factory = providerFactories[prefix];
  if (!factory || colon < 0) {
    throw new UsageError(`unknown provider "${spec}"; known prefixes: ${Object.keys(providerFactories).map((p) => `${p}:`).join(', ')}`);
  }
  return factory(spec.slice(colon + 1), options);
}
