import { z } from 'zod';
import { formatLimit, LIMITS } from '../core/limits.js';
import { chainsSchema, hybridSchema } from './chain-steps.js';
import { TRAJECTORY_MODES } from '../core/trajectory.js';
import { safeRegexProblem } from './safe-regex.js';
import { longText, shortText, virtualLatency } from './text-limits.js';

/** Schema of a scenario file (`scenarios/*.yaml`). Keys are snake_case as written in YAML. */

const jsonObject = z.record(z.string(), z.unknown());

/** An inline result, as the model is sent it (a string, or its JSON), is a long text at most. */
function boundedResult(value: unknown, ctx: z.RefinementCtx): void {
  if (value === undefined) return;
  const length = typeof value === 'string' ? value.length : (JSON.stringify(value) ?? '').length;
  if (length > LIMITS.longTextChars) {
    ctx.addIssue({ code: 'custom', message: `too long: ${formatLimit(length)} characters (as sent to the model), at most ${formatLimit(LIMITS.longTextChars)} (see docs/limits.md)` });
  }
}

const mockOutcome = {
  /** Inline result returned to the model (a string, or JSON serialised for it). */
  result: z.unknown().superRefine(boundedResult).optional(),
  /** Path, relative to `fixtures/`, of a JSON or text file returned as the result. */
  result_file: shortText().min(1).optional(),
  /** Returned to the model as a tool error instead of a result. */
  error: longText().min(1).optional(),
  /** Simulated latency of this call in ms (virtual clock; nothing sleeps). */
  latency_ms: virtualLatency().optional(),
};

function exactlyOneOutcome(
  value: { result?: unknown; result_file?: string | undefined; error?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  const given = ['result', 'result_file', 'error'].filter(
    (k) => (value as Record<string, unknown>)[k] !== undefined,
  );
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `give exactly one of result, result_file or error (found ${given.length === 0 ? 'none' : given.join(', ')})`,
    });
  }
}

export const mockResultSchema = z
  .strictObject({
    /** Arguments this entry answers. */
    match: jsonObject,
    /**
     * `exact`: the call's arguments equal `match`; `subset`: they contain it;
     * `bfcl`: they equal it with strings compared as BFCL's checker does
     * (case, spaces and `,./-_*^` ignored).
     */
    match_mode: z.enum(['exact', 'subset', 'bfcl']).default('exact'),
    /** Free-text arguments matched by a case-insensitive substring instead of equality: `{ query: timeout }`. */
    contains: z.record(z.string(), z.string().min(1)).optional(),
    /** Free-text arguments matched by a regular expression (RE2 syntax, linear time; `(?i)` ignores case). */
    regex: z.record(z.string(), z.string().min(1)).optional(),
    /** Arguments of `match` whose arrays match in any order. */
    unordered: z.array(z.string()).optional(),
    ...mockOutcome,
  })
  .superRefine(exactlyOneOutcome);

export const fallbackSchema = z
  .strictObject({
    ...mockOutcome,
    /** Echo the call's arguments into the inline `result`: `{{args}}` (all, as JSON) or `{{args.name}}` (one). */
    echo: z.boolean().optional(),
  })
  .superRefine(exactlyOneOutcome);

/** JSON Schema keywords whose value is data (any JSON, null included), not a schema: not looked into. */
const DATA_KEYWORDS = new Set(['default', 'const', 'enum', 'examples', 'example']);

/**
 * A key with no value in a tool's JSON Schema: no schema keyword or property takes null outside
 * the data keywords, and YAML makes one out of a careless flow mapping: in
 * `{ type: string, description: Code, e.g. "EUR". }` the comma ends the description ("Code") and
 * `e.g. "EUR".` becomes a key of its own. The model would get the cut description and the stray key.
 */
function noEmptyKeys(value: unknown, ctx: z.RefinementCtx, path: (string | number)[] = []): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => noEmptyKeys(v, ctx, [...path, i]));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (DATA_KEYWORDS.has(key)) continue;
    if (v === null) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `key ${JSON.stringify(key)} has no value: in a YAML flow mapping ({ ... }) a comma ends a value, so the text after it became a key of its own; put the whole text in quotes`,
      });
    } else noEmptyKeys(v, ctx, [...path, key]);
  }
}

export const toolSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names must match ^[a-zA-Z0-9_-]{1,64}$ (what the model APIs accept)'),
  description: longText().min(1),
  parameters: z
    .looseObject({ type: z.literal('object') })
    .superRefine((schema, ctx) => noEmptyKeys(schema, ctx))
    .describe('JSON Schema of the arguments, exactly as a model is given it'),
  /** Default simulated latency of this tool in ms. */
  latency_ms: virtualLatency().default(0),
  results: z.array(mockResultSchema).default([]),
  /** Answer for calls that match no entry; without it such calls get a tool error. */
  fallback: fallbackSchema.optional(),
});

export const expectedCallSchema = z.strictObject({
  id: shortText().regex(/^[a-zA-Z0-9_.-]+$/, 'ids use letters, digits, _ . -'),
  tool: shortText(),
  /** Arguments that identify this call; the model's call must contain them (subset match). */
  args: jsonObject.default({}),
  /**
   * Arguments that allow several values: the call's value must equal one of
   * the listed ones (instead of the value in `args`); `""` in a list also lets
   * the argument be omitted. `args` stays the call the reference policies make.
   */
  accept: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
  /** Arguments whose arrays match in any order (e.g. a list of files). */
  unordered: z.array(z.string()).optional(),
  /** `bfcl`: argument strings are compared as BFCL's checker does (case, spaces and `,./-_*^` ignored). */
  match_mode: z.literal('bfcl').optional(),
  /** Ids of expected calls whose results this call needs. */
  needs: z.array(shortText()).default([]),
  /**
   * Argument names whose values the task implies without spelling them out
   * (a date written in words, the currency of a US account): the data-flow
   * lint of `validate` does not look for their source in other results.
   */
  given_args: z.array(shortText()).optional(),
});

/** A regex fact compiles for linear-time matching at load, or is refused naming the field (safe-regex.ts). */
const regexFact = z
  .strictObject({ regex: z.string().min(1), flags: z.string().optional() })
  .superRefine((fact, ctx) => {
    const problem = safeRegexProblem(fact.regex, fact.flags);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['regex'], message: problem });
  });

const answerFact = z.union([longText().min(1), regexFact]);

export const successSchema = z.strictObject({
  /** Expected-call ids that must be made; `all` (the default) or a list. */
  required_calls: z.union([z.literal('all'), z.array(shortText())]).default('all'),
  /** Facts the final answer must contain: case-insensitive substrings or regexes. */
  answer_contains: z.array(answerFact).default([]),
  /** How closely the calls must follow `expected_calls` for success (docs/scenarios.md); absent: not checked. */
  trajectory: z.enum(TRAJECTORY_MODES).optional(),
});

export const scenarioSchema = z.strictObject({
  id: shortText().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lowercase kebab-case'),
  title: shortText().min(1),
  domain: shortText().min(1),
  shape: shortText().min(1),
  difficulty: z.enum(['easy', 'medium', 'hard']).default('medium'),
  tags: z.array(shortText()).default([]),
  /** The user's message. */
  task: longText().min(1),
  /**
   * Instructions that come with the task as a system message (an imported
   * question's own system prompt): sent after the prompt variant's system text.
   */
  context: longText().min(1).optional(),
  /**
   * Model-call limit of this scenario's sessions, replacing the run's
   * `--max-turns` (a 10-call task done one call per turn needs 11 model calls).
   */
  max_turns: z.number().int().positive().max(100).optional(),
  tools: z.array(toolSchema).min(1),
  expected_calls: z.array(expectedCallSchema),
  success: successSchema.default({ required_calls: 'all', answer_contains: [] }),
  /**
   * A JavaScript or TypeScript module (path relative to this file) whose default
   * export maps tool names to handlers, `async (args, ctx) => result`, or is a
   * function returning such a map per session (for stateful tools).
   */
  handlers: shortText().min(1).optional(),
  /** The final answer the reference policies give; must satisfy `success.answer_contains`. */
  reference_answer: longText().min(1),
  /** Deterministic tool chains by name, run by the `chain` strategy with no model round-trip. */
  chains: chainsSchema.optional(),
  /** Steps run between the gather and synthesis turns of the `hybrid` strategy. */
  hybrid: hybridSchema.optional(),
});

export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type ToolSpec = z.infer<typeof toolSchema>;
export type MockResultSpec = z.infer<typeof mockResultSchema>;
export type FallbackSpec = z.infer<typeof fallbackSchema>;
export type ExpectedCall = z.infer<typeof expectedCallSchema>;
export type AnswerFact = z.infer<typeof answerFact>;
