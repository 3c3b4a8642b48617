import { UsageError } from './errors.js';
import { formatLimit, LIMITS } from './limits.js';

/** Virtual model latency: a default for every provider and overrides by provider id. */
export interface ModelLatency {
  defaultMs: number | undefined;
  byProvider: Record<string, number>;
}

/**
 * Parses `--model-latency` values (repeated or comma-separated): `<ms>` sets
 * the default, `<provider>=<ms>` one provider's (e.g. `openai:gpt-4o=1200`;
 * the provider id may itself hold colons, the last `=` splits).
 */
export function parseModelLatency(values: readonly string[]): ModelLatency {
  const out: ModelLatency = { defaultMs: undefined, byProvider: {} };
  for (const raw of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')) {
    const eq = raw.lastIndexOf('=');
    const id = eq < 0 ? undefined : raw.slice(0, eq).trim();
    const text = eq < 0 ? raw : raw.slice(eq + 1).trim();
    const ms = Number(text);
    if (text === '' || !Number.isInteger(ms) || ms < 0) {
      throw new UsageError(`--model-latency "${raw}": give <ms> or <provider>=<ms> with an integer >= 0 (e.g. 800 or openai:gpt-4o=1200)`);
    }
    if (ms > LIMITS.latencyMs) throw new UsageError(`--model-latency must be at most ${formatLimit(LIMITS.latencyMs)} (got "${raw}"; see docs/limits.md)`);
    if (id === undefined) out.defaultMs = ms;
    else if (id === '') throw new UsageError(`--model-latency "${raw}": the provider before "=" is empty`);
    else out.byProvider[id] = ms;
  }
  return out;
}

/** The latency a provider's model calls are charged on the virtual clock. */
export function latencyFor(providerId: string, defaultMs: number, byProvider: Readonly<Record<string, number>> | undefined): number {
  return byProvider?.[providerId] ?? defaultMs;
}
