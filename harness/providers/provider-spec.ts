import { parseReferencePolicy } from './reference/reference-policy.js';

/** Prefixes of provider specs (`ref:optimal`, `openai:gpt-4o`, ...); registry.ts has a factory for each. */
export const PROVIDER_PREFIXES = ['ref', 'openai', 'openai-responses', 'anthropic'] as const;

/** What is wrong with a provider spec, or undefined when it names a known provider. Loads no SDK. */
export function providerSpecProblem(spec: string): string | undefined {
  const colon = spec.indexOf(':');
  const prefix = colon < 0 ? spec : spec.slice(0, colon);
  if (colon < 0 || !(PROVIDER_PREFIXES as readonly string[]).includes(prefix)) {
    return `unknown provider "${spec}"; known prefixes: ${PROVIDER_PREFIXES.map((p) => `${p}:`).join(', ')}`;
  }
  if (colon === spec.length - 1) return `provider "${spec}" names no model or policy after "${prefix}:"`;
  if (prefix === 'ref' && parseReferencePolicy(spec.slice(colon + 1)) === undefined) {
    return `unknown reference policy "${spec}"; use ref:sequential, ref:optimal or ref:stochastic:<p> with p in [0, 1]`;
  }
  return undefined;
}
