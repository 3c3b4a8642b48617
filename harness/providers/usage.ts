import type { Usage } from './types.js';

/**
 * Vendor usage to the normalized form, where `inputTokens` counts every input
 * token once, cached ones included. Table: docs/providers.md.
 */

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

interface ChatUsageWire {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  prompt_tokens_details?: { cached_tokens?: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: unknown } | null;
}

/** Chat Completions: `prompt_tokens` already includes `prompt_tokens_details.cached_tokens`. */
export function chatUsage(u: ChatUsageWire | null | undefined): Usage {
  if (!u) return {};
  return {
    ...optional('inputTokens', num(u.prompt_tokens)),
    ...optional('outputTokens', num(u.completion_tokens)),
    ...optional('cachedInputTokens', num(u.prompt_tokens_details?.cached_tokens)),
    ...optional('reasoningTokens', num(u.completion_tokens_details?.reasoning_tokens)),
  };
}

interface ResponsesUsageWire {
  input_tokens?: unknown;
  output_tokens?: unknown;
  input_tokens_details?: { cached_tokens?: unknown } | null;
  output_tokens_details?: { reasoning_tokens?: unknown } | null;
}

/** Responses API: `input_tokens` already includes `input_tokens_details.cached_tokens`. */
export function responsesUsage(u: ResponsesUsageWire | null | undefined): Usage {
  if (!u) return {};
  return {
    ...optional('inputTokens', num(u.input_tokens)),
    ...optional('outputTokens', num(u.output_tokens)),
    ...optional('cachedInputTokens', num(u.input_tokens_details?.cached_tokens)),
    ...optional('reasoningTokens', num(u.output_tokens_details?.reasoning_tokens)),
  };
}

interface AnthropicUsageWire {
  input_tokens?: unknown;
  output_tokens?: unknown;
  cache_read_input_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
  output_tokens_details?: { thinking_tokens?: unknown } | null;
}

/**
 * Anthropic Messages: `input_tokens` excludes both cache counts, so
 * input = input_tokens + cache_read_input_tokens + cache_creation_input_tokens
 * and cached = cache_read_input_tokens (cache writes are not served from cache).
 */
export function anthropicUsage(u: AnthropicUsageWire | null | undefined): Usage {
  if (!u) return {};
  const base = num(u.input_tokens);
  const read = num(u.cache_read_input_tokens);
  const created = num(u.cache_creation_input_tokens);
  return {
    ...optional('inputTokens', base === undefined ? undefined : base + (read ?? 0) + (created ?? 0)),
    ...optional('outputTokens', num(u.output_tokens)),
    ...optional('cachedInputTokens', base === undefined ? undefined : (read ?? 0)),
    ...optional('reasoningTokens', num(u.output_tokens_details?.thinking_tokens)),
  };
}

function optional<K extends keyof Usage>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, number>>);
}
