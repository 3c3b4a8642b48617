import { z } from 'zod';

/** One provider of a run: a spec such as `ref:optimal` or `openai:gpt-4o-mini`, with its settings. */
export const providerConfigSchema = z.strictObject({
  /** Provider spec: `ref:sequential`, `ref:optimal`, `ref:stochastic:<p>`, `openai:<model>`, `openai-responses:<model>`, `anthropic:<model>`. */
  id: z.string().min(1),
  /** Base URL of an OpenAI-compatible server or an Anthropic endpoint. */
  base_url: z.string().url().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  /** Per-request timeout in ms. */
  timeout_ms: z.number().int().positive().optional(),
  /** Retries per model call on 429, 5xx and connection errors. */
  max_retries: z.number().int().nonnegative().optional(),
  /** Model calls in flight at once for this provider. */
  concurrency: z.number().int().positive().optional(),
  requests_per_minute: z.number().int().positive().optional(),
  /** Environment variable that holds the API key (the key itself never goes in a file). */
  api_key_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as MY_API_KEY').optional(),
  /** Prices in USD per million tokens, overriding the built-in table for this provider. */
  price: z
    .strictObject({ input: z.number().nonnegative(), cached_input: z.number().nonnegative().optional(), output: z.number().nonnegative() })
    .optional(),
});

/** `batchbench.config.yaml`: everything `batchbench run` needs; CLI flags override it. */
export const configSchema = z.strictObject({
  providers: z.array(z.union([z.string().min(1), providerConfigSchema])).min(1).optional(),
  /** Prompt variant files or directories. */
  variants: z.array(z.string()).min(1).optional(),
  /** Scenario files or directories. */
  scenarios: z.array(z.string()).min(1).optional(),
  /** Keep scenarios matching every filter (`value` or `key=value`). */
  tags: z.array(z.string()).optional(),
  repeats: z.number().int().positive().optional(),
  concurrency: z.number().int().positive().optional(),
  seed: z.number().int().nonnegative().optional(),
  /** Parent directory of run directories. */
  out: z.string().optional(),
  /** Virtual latency charged per model call, in ms. */
  model_latency_ms: z.number().int().nonnegative().optional(),
  max_turns: z.number().int().positive().optional(),
  report: z
    .strictObject({
      /** Variant the others are compared against (default: the first). */
      baseline: z.string().optional(),
    })
    .optional(),
  /** Regression gates for `batchbench compare` (see docs/nightly.md). */
  gates: z.record(z.string(), z.unknown()).optional(),
});

export type ProviderConfig = z.infer<typeof providerConfigSchema>;
export type BatchbenchConfig = z.infer<typeof configSchema>;
