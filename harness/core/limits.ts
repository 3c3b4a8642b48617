import { groupedNumber } from './grouped-number.js';
/**
 * Upper bounds on the work any input can ask for (docs/limits.md lists them).
 * Each is checked where the value enters, a flag, a config field or a field of
 * a scenario or prompt file, before anything is allocated or run; beyond it
 * the command exits 2 naming the flag or the file and field.
 */
export const LIMITS = {
  /** Sessions per provider, variant and scenario (`--repeats`, `repeats`). */
  repeats: 10_000,
  /** Sessions at once per provider (`--concurrency`, `concurrency`), and a provider's model calls in flight (`providers[].concurrency`). */
  concurrency: 1_000,
  /** Sessions of a run: providers x variants x scenarios x repeats. */
  matrixSessions: 50_000,
  /** Model calls per session (`--max-turns`, `max_turns`). */
  maxTurns: 1_000,
  /** Tool calls run per model response (`strategy_options.max_tool_calls_per_turn` of `budgeted`). */
  toolCallsPerTurn: 1_000,
  /** Virtual latency in ms: model latency (`--model-latency`, `model_latency_ms`) and tool latencies in scenarios (one hour). */
  latencyMs: 3_600_000,
  /** Characters of a long text: task, reference answer, tool description, mocked result or error, system prompt, user template. */
  longTextChars: 1_000_000,
  /** Characters of a short text: ids, titles, domains, shapes, tags, variant descriptions. */
  shortTextChars: 1_000,
  /** Characters of a regular expression. */
  regexChars: 10_000,
} as const;

/** `12345` as `12,345`, for messages (schemas build them at load: whole numbers are grouped without a locale formatter). */
export const formatLimit = (n: number): string => groupedNumber(n);
