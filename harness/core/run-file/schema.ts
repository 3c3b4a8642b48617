import { z } from 'zod';
import { conforms } from './conforms.js';
import { strategyDataSchema, STRATEGY_OF_DATA, taskNodeSchema } from './strategy-data.js';
import { TRAJECTORY_MODES } from './trajectory-modes.js';

/**
 * The run file, format 2: the one schema of `run.json` (`manifestSchema`) and
 * of a `sessions.jsonl` line (`sessionLineSchema`). Every record type
 * (records.ts) is `z.infer` of it; every reader validates every field with it
 * (read-run.ts), after migrating older formats (migrate.ts). Objects are
 * strict: a field this format does not define is an error, so a misspelling
 * or a file of another tool never reads as a run. docs/run-file.md.
 */

export const RUN_FORMAT_VERSION = 2 as const;

export const PROVIDER_KINDS = ['reference', 'model', 'scripted'] as const;
export const FINISH_REASONS = ['stop', 'tool-calls', 'length', 'content-filter', 'error', 'other'] as const;
export { TRAJECTORY_MODES };
export const SESSION_STATUSES = ['completed', 'failed', 'budget-exceeded', 'errored', 'skipped'] as const;

const version = z.literal(RUN_FORMAT_VERSION).describe('Run file format');
const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();
const providerRef = z.strictObject({ id: z.string(), kind: z.enum(PROVIDER_KINDS) });
const shard = z.strictObject({ index: z.number().int().positive(), count: z.number().int().positive() });

// ---- sessions.jsonl ----

export const callRecordSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()).optional().describe('Parsed arguments; absent when the model wrote no JSON object'),
  rawArgs: z.string(),
  node: z.string().nullable().describe('Expected-call id (task-graph node) this call matched, or null'),
  depsSatisfied: z.boolean().describe('Whether every dependency of `node` had its result before this turn'),
  result: z.string(),
  isError: z.boolean(),
  errorKind: z.string().optional(),
  latencyMs: ms.describe('Simulated latency of the call (virtual clock)'),
});

/**
 * A tool call the harness made without a model turn asking for it: a step of a
 * scenario's declared chain, a hybrid processing step, or a call of a plan the
 * model wrote. Counted in `toolCalls`, never in turns or batching (docs/strategies.md).
 */
export const chainCallRecordSchema = callRecordSchema.extend({
  source: z.enum(['chain', 'hybrid', 'plan']),
  step: z.string().describe("Step id (chain, hybrid) or the call's 1-based position in the plan"),
  wave: z.number().int().positive().describe('1-based wave: calls of one wave ran concurrently, waves one after another'),
  beforeTurn: z.number().int().positive().describe('Index of the model turn that followed this call (turns so far + 1)'),
  startMs: ms.describe('Virtual clock when the call started'),
});

export const turnUsageSchema = z.strictObject({
  inputTokens: count,
  outputTokens: count,
  cachedInputTokens: count,
  reasoningTokens: count.optional(),
  estimated: z.boolean().describe('True when counts come from the tokenizer, not from the provider'),
});

export const turnRecordSchema = z.strictObject({
  index: z.number().int().positive().describe('1-based model call index'),
  requestMessages: count.describe('Messages in the request (history length)'),
  requestChars: count.describe('Characters of the serialised request'),
  text: z.string(),
  finishReason: z.enum(FINISH_REASONS),
  calls: z.array(callRecordSchema),
  usage: turnUsageSchema,
  virtual: z.strictObject({ startMs: ms, modelMs: ms, toolsMs: ms, endMs: ms }).describe('Virtual clock: start of the model call, model latency, slowest tool of the batch, end'),
  realLatencyMs: ms.describe('Real wall time of the model call in ms'),
  retries: count,
  phase: z.string().optional().describe('Which part of a strategy made this turn (e.g. `gather`, `synthesis`); absent for the plain loop'),
});

export const sessionErrorSchema = z.strictObject({
  class: z.string(),
  message: z.string(),
  statusCode: z.number().int().optional(),
  halts: z
    .enum(['auth', 'model'])
    .optional()
    .describe('Set when no later session of this provider can succeed: `auth` (the key was refused), `model` (the model does not exist)'),
});

export const sessionBaseSchema = z.strictObject({
  formatVersion: version,
  runId: z.string(),
  key: z.string().describe('`provider|variant|scenario|repeat`: unique within a run'),
  provider: providerRef,
  variantId: z.string(),
  strategy: z.string(),
  scenarioId: z.string(),
  repeat: z.number().int().positive(),
  seed: z.number().int(),
  optimalTurns: count,
  turns: z.array(turnRecordSchema),
  finalAnswer: z.string().nullable(),
  success: z.strictObject({
    passed: z.boolean(),
    missingCalls: z.array(z.string()),
    missingFacts: z.array(z.string()),
    trajectory: z
      .strictObject({ mode: z.enum(TRAJECTORY_MODES), passed: z.boolean() })
      .optional()
      .describe("The scenario's `success.trajectory` check and whether the calls met it (absent when the scenario has none)"),
  }),
  startedAt: z.string(),
  finishedAt: z.string(),
  virtualMs: ms.describe('Virtual wall time of the whole session in ms'),
  realMs: ms.describe('Real wall time of the whole session in ms'),
  extra: strategyDataSchema.optional(),
  chainCalls: z.array(chainCallRecordSchema).optional().describe('Tool calls the harness made between model turns (chain, hybrid, plan-execute); absent for the plain loop'),
});

/**
 * One line of sessions.jsonl, keyed on `status`, field by field (the rules
 * between fields are `sessionLineIssues`). `errored`: the session ran
 * and hit an error (provider, tool handler, strategy). `skipped`: it was never
 * started because its provider had already failed in a way no other session
 * could get past. Neither enters a mean, median, interval, pair or gate figure.
 */
export const sessionLineFieldsSchema = z.discriminatedUnion('status', [
  sessionBaseSchema.extend({ status: z.literal('completed') }),
  sessionBaseSchema.extend({ status: z.literal('failed') }),
  sessionBaseSchema.extend({ status: z.literal('budget-exceeded'), stopReason: z.string() }),
  sessionBaseSchema.extend({ status: z.literal('errored'), error: sessionErrorSchema }),
  sessionBaseSchema.extend({ status: z.literal('skipped'), reason: z.string().describe('Why the session was not run') }),
]);

const STRATEGY_FIELDS = Object.entries(STRATEGY_OF_DATA) as [keyof typeof STRATEGY_OF_DATA, string][];

/** The rules between a session line's fields: its key is made of its provider, variant, scenario and repeat; strategy data belongs to the strategy that ran. */
export function sessionLineIssues(s: z.infer<typeof sessionLineFieldsSchema>): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const key = `${s.provider.id}|${s.variantId}|${s.scenarioId}|${s.repeat}`;
  if (s.key !== key) issues.push({ path: ['key'], message: `is "${s.key}", but provider, variant, scenario and repeat make "${key}"` });
  if (s.extra === undefined) return issues;
  for (const [field, strategy] of STRATEGY_FIELDS) {
    if (s.extra[field] !== undefined && s.strategy !== strategy) {
      issues.push({ path: ['extra', field], message: `is data of the ${strategy} strategy, but the session ran ${s.strategy}` });
    }
  }
  return issues;
}

/**
 * Whether `value` is a session line readers take, decided without zod's parse (which copies the record): its
 * fields conform and it breaks no rule between them. When it says no, zod's parse names the field.
 */
export function isSessionLine(value: unknown): value is z.infer<typeof sessionLineFieldsSchema> {
  return conforms(sessionLineFieldsSchema, value) && sessionLineIssues(value).length === 0;
}

/** One line of sessions.jsonl: its fields (`sessionLineFieldsSchema`) and the rules between them (`sessionLineIssues`). */
export const sessionLineSchema = sessionLineFieldsSchema.superRefine((s, ctx) => {
  for (const issue of sessionLineIssues(s)) ctx.addIssue({ code: 'custom', ...issue });
});

// ---- run.json ----

export const scenarioManifestSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  domain: z.string(),
  shape: z.string(),
  difficulty: z.string(),
  tags: z.array(z.string()),
  file: z.string(),
  hash: z.string(),
  optimalTurns: count,
  widths: z.array(count),
  dag: z.array(taskNodeSchema).describe('The expected calls with their accepted values and dependencies, so analyses need no scenario files'),
  requiredCalls: z
    .array(z.string())
    .optional()
    .describe('Ids of the expected calls `success.required_calls` requires (absent in runs written before the field existed: every expected call)'),
});

export const variantManifestSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
  strategy: z.string(),
  parallelToolCalls: z.boolean(),
  expectsPlan: z.boolean().optional().describe('Plans are scored for this variant (absent in runs written before the field existed: false)'),
  file: z.string(),
  hash: z.string(),
});

/** Where an imported run came from: the trace files (with their SHA-256) and how dependencies were found. */
export const importedFromSchema = z.strictObject({
  from: z.literal('traces'),
  format: z.string(),
  files: z.array(z.strictObject({ file: z.string(), sha256: z.string(), lines: count })),
  skippedLines: count.describe('Lines left out with `--skip-invalid`'),
  inference: z.string().describe('How the task graph of each session was obtained, and its known limit'),
});

export const manifestSchema = z.strictObject({
  formatVersion: version,
  runId: z.string(),
  tool: z.strictObject({ name: z.literal('batchbench'), version: z.string() }),
  config: z.strictObject({
    providers: z.array(providerRef),
    variants: z.array(z.string()),
    scenarios: z.array(z.string()),
    repeats: z.number().int().positive(),
    concurrency: z.number().int().positive(),
    seed: z.number().int(),
    modelLatencyMs: ms,
    modelLatencyByProvider: z.record(z.string(), ms).optional().describe('Virtual latency per model call by provider id, where `--model-latency <provider>=<ms>` set one'),
    maxTurns: count,
  }),
  scenarios: z.array(scenarioManifestSchema),
  variants: z.array(variantManifestSchema),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  state: z.enum(['running', 'finished', 'interrupted']),
  sessionsPlanned: count,
  sessionsWritten: count,
  shard: shard.optional().describe('This run holds only the `index`-th (1-based) of `count` deterministic parts of the matrix (`run --shard i/n`)'),
  interrupted: z.array(z.string()).optional().describe('Keys of sessions cut short by an interruption: not in sessions.jsonl, run again by `run --resume`'),
  resumedAt: z.array(z.string()).optional().describe('Times this run was continued with `run --resume`'),
  mergedFrom: z.array(z.strictObject({ runId: z.string(), shard })).optional().describe('The shard runs `batchbench merge` joined into this one'),
  imported: importedFromSchema.optional().describe('Set when the sessions were imported from recorded traces, not run'),
});
