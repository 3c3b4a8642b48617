import { z } from 'zod';
import { formatLimit, LIMITS } from '../core/limits.js';
import { gatesSchema } from '../metrics/gates.js';

const atMost = (limit: number, unit = ''): string => `at most ${formatLimit(limit)}${unit} (see docs/limits.md)`;

/** Bounded settings, checked the same way in a config file and in a config given in code (config/run-config.ts). */
export const bounded = {
  repeats: z.number().int().positive().max(LIMITS.repeats, atMost(LIMITS.repeats)),
  concurrency: z.number().int().positive().max(LIMITS.concurrency, atMost(LIMITS.concurrency)),
  maxTurns: z.number().int().positive().max(LIMITS.maxTurns, atMost(LIMITS.maxTurns)),
  latencyMs: z.number().int().nonnegative().max(LIMITS.latencyMs, atMost(LIMITS.latencyMs, ' ms')),
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as MY_API_KEY'),
};

/** One provider of a run: a spec such as `ref:optimal` or `openai:gpt-4o-mini`, with its settings. */
export const providerConfigSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .describe('Provider spec: `ref:sequential`, `ref:optimal`, `ref:stochastic:<p>`, `openai:<model>`, `openai-responses:<model>` or `anthropic:<model>`.'),
  base_url: z.string().url().optional().describe('Base URL of an OpenAI-compatible server (vLLM, llama.cpp, Ollama, LM Studio) or of an Anthropic endpoint.'),
  temperature: z.number().min(0).max(2).optional().describe('Sampling temperature.'),
  max_tokens: z.number().int().positive().optional().describe('Maximum output tokens per model call.'),
  timeout_ms: z.number().int().positive().optional().describe('Per-request timeout in ms.'),
  max_retries: z.number().int().nonnegative().optional().describe('Retries per model call on 429, 5xx and connection errors.'),
  concurrency: bounded.concurrency.optional().describe('Model calls in flight at once for this provider.'),
  requests_per_minute: z.number().int().positive().optional().describe('Request rate limit for this provider.'),
  api_key_env: bounded.apiKeyEnv
    .optional()
    .describe('Environment variable holding the API key (default OPENAI_API_KEY or ANTHROPIC_API_KEY). The key itself never goes in a file.'),
  model_latency_ms: bounded.latencyMs.optional().describe('Virtual latency charged per model call of this provider, in ms, over the run-wide `model_latency_ms`.'),
});

/** `batchbench.config.yaml`: everything `batchbench run` needs; CLI flags override it. */
export const configSchema = z.strictObject({
  providers: z
    .array(z.union([z.string().min(1), providerConfigSchema]))
    .min(1)
    .optional()
    .describe('Providers of the run: a spec string, or an object with `id` and settings (see below). Default: the three reference policies.'),
  prompts: z.array(z.string()).min(1).optional().describe('Prompt variant files or directories (relative to the config file), as `--prompts`. Default: `prompts`.'),
  variants: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('Prompt variant ids to run, as `--variants` (default: every variant found under `prompts`). This field used to hold paths; a list of paths here is still read as `prompts`, with a deprecation warning.'),
  scenarios: z.array(z.string()).min(1).optional().describe('Scenario files or directories (relative to the config file). Default: `scenarios`.'),
  tags: z.array(z.string()).optional().describe('Keep scenarios matching every filter: a value, or `key=value` with key domain, shape, difficulty, tag or id.'),
  repeats: bounded.repeats.optional().describe('Sessions per provider, variant and scenario. Default: 3.'),
  concurrency: bounded.concurrency.optional().describe('Sessions running at once, per provider. Default: 8.'),
  seed: z.number().int().nonnegative().optional().describe('Seed for every random choice. Default: 42.'),
  out: z.string().optional().describe('Parent directory of run directories (relative to the config file). Default: `reports`.'),
  model_latency_ms: bounded.latencyMs.optional().describe('Virtual latency charged per model call, in ms. Default: 800.'),
  max_turns: bounded.maxTurns.optional().describe('Stop a session after this many model calls. Default: 10.'),
  report: z
    .strictObject({
      baseline: z.string().optional().describe('Variant the others are compared against. Default: the first variant of the run.'),
      compare_by: z
        .enum(['variants', 'models'])
        .optional()
        .describe('What the reports compare: `variants` (each variant against the baseline variant, within each provider) or `models` (each provider against the baseline provider, within each variant). Default: `variants`.'),
      baseline_provider: z.string().optional().describe('Provider the others are compared against when `compare_by` is `models`. Default: the first provider of the run.'),
      generalize: z.enum(['tasks']).optional().describe('`tasks`: intervals for tasks like these (two-level bootstrap: tasks, then sessions within tasks). Default: intervals for this suite\'s tasks.'),
      holm_scope: z.enum(['metric', 'all']).optional().describe("Holm's family: `metric` (per provider and metric, the variants compared; default) or `all` (every verdict metric and variant at once)."),
      price_model: z.string().optional().describe('Model whose prices apply to reference policies and the scripted provider; a model provider whose model is not listed has no price. Default: gpt-4o.'),
      prices: z.string().optional().describe('YAML file adding or overriding model prices (relative to the config file; format in docs/metrics.md).'),
    })
    .optional()
    .describe('Report options.'),
  gates: gatesSchema
    .optional()
    .describe('Regression gates for `batchbench compare`, by metric: `{ max_drop: <number or "N%"> }` or `{ max_rise: ... }` (see docs/nightly.md).'),
  max_fixture_bytes: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Largest `result_file` fixture or handler module a scenario may use, in bytes (`--max-fixture-bytes`). Default: 5242880 (5 MiB).'),
  max_error_rate: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Share (0..1) of errored sessions `run` still exits 0 with (`--max-error-rate`); skipped sessions always exit 3. Default: 0, any errored session exits 3.'),
});

export type ProviderConfig = z.infer<typeof providerConfigSchema>;
export type BatchbenchConfig = z.infer<typeof configSchema>;
