import { z } from 'zod';

/**
 * What a strategy (or the trace importer) stores with a session, in the
 * session's `extra` object: one typed field per producer. Part of the run-file
 * schema (schema.ts); every type here is `z.infer` of it.
 */

const args = z.record(z.string(), z.unknown()).describe('Arguments by name');

/** A node of a task graph as the run file keeps it (the scenario's expected calls, or a graph inferred from a trace). */
export const taskNodeSchema = z
  .strictObject({
    id: z.string().describe('Expected-call id'),
    tool: z.string(),
    args,
    accept: z
      .record(z.string(), z.array(z.unknown()))
      .optional()
      .describe('Alternative accepted values per argument (`""`: the argument may be left out); absent when the call gives none, and in format-1 runs'),
    unordered: z.array(z.string()).optional().describe('Arguments whose arrays match in any order (absent when none, and in runs written before it was kept)'),
    match_mode: z.literal('bfcl').optional().describe("`bfcl`: argument strings compare as BFCL's checker does (absent: exact JSON equality)"),
    needs: z.array(z.string()).describe('Ids of the expected calls whose results this call needs'),
  })
  .describe('One node of a task graph');

const plannedCall = z.strictObject({ tool: z.string(), args });

/** A planned call whose dependencies do not all lie in earlier groups. */
export const planViolationSchema = z.strictObject({
  group: z.number().int().describe('1-based group of the call'),
  index: z.number().int().describe('1-based position of the call in its group'),
  call: z.string().describe('The call as text'),
  node: z.string().describe('The expected call it stands for'),
  needs: z.array(z.string()).describe('Needs of `node` not planned in an earlier group'),
});

const count = z.number().int().nonnegative();

/** Plan metrics of one session: written by `plan-execute` (`extra.plan`), computed for a `json-plan` variant (docs/strategies.md). */
export const planDataSchema = z
  .strictObject({
    source: z.enum(['plan-turn', 'first-response']).describe('`plan-turn`: a turn asked for the plan only (plan-execute); `first-response`: the text of the first turn'),
    parsed: z.boolean(),
    error: z.string().optional().describe('Why the plan did not parse'),
    groups: count,
    calls: count,
    optimalDepth: count.describe('Longest dependency chain of the task graph: the fewest groups a valid plan can have'),
    extraGroups: z.number().int().describe('groups - optimalDepth'),
    valid: z.boolean().describe('Every group holds only calls whose dependencies lie in earlier groups'),
    violations: z.array(planViolationSchema),
    missingNodes: z.array(z.string()).describe('Expected calls no planned call stands for'),
    extraCalls: count.describe('Planned calls that stand for no expected call'),
    followed: count.nullable().describe('Planned calls made in their planned step; null when nothing parsed'),
    adherence: z.number().min(0).max(1).nullable().describe('followed / planned calls; null when nothing parsed'),
    replanned: z.boolean().optional().describe('Whether plan-execute asked for a second plan'),
    unparsedPlans: count.optional().describe('Plans before this one that did not parse (plan-execute)'),
    plan: z.strictObject({ parallel_groups: z.array(z.array(plannedCall)) }).optional().describe('The parsed plan, calls in object form'),
  })
  .describe('Plan metrics of a session');

/** The budgets a `budgeted` session ran under. */
export const budgetDataSchema = z.strictObject({
  maxTurns: z.number().int().positive(),
  maxToolCallsPerTurn: z.number().int().positive(),
});

/** What happened to one declared step of a chain or of hybrid processing. */
export const stepReportSchema = z.strictObject({
  id: z.string(),
  tool: z.string(),
  status: z.enum(['ok', 'error', 'skipped']),
  reason: z.string().optional().describe('Why the step was skipped (an input could not be computed)'),
});

const fallback = z.strictObject({ fallback: z.literal('loop'), reason: z.string() }).describe('The scenario declares no steps: the session ran the plain loop');

/** `extra.chain`: the chain that ran and its steps, or the fallback to the plain loop. */
export const chainDataSchema = z.union([z.strictObject({ name: z.string(), steps: z.array(stepReportSchema) }), fallback]);

/** `extra.hybrid`: how many calls the gather turn made and the processing steps, or the fallback to the plain loop. */
export const hybridDataSchema = z.union([z.strictObject({ gathered: count, steps: z.array(stepReportSchema) }), fallback]);

/** `extra.trace`: per-session data of a run imported from traces (read by `scenario from-trace`). */
export const traceDataSchema = z
  .strictObject({
    sessionId: z.string().describe('`s1`, `s2`, ... in order of first call'),
    sources: z.array(z.string()).describe('file:line of each model call, in turn order'),
    prompt: z.strictObject({ system: z.string(), user: z.string() }).describe('The system and user messages of the first request'),
    tools: z.array(z.strictObject({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.unknown()) })),
    graph: z.strictObject({ label: z.string(), nodes: z.array(taskNodeSchema) }).describe('The task graph inferred from data flow, labelled'),
    counterfactual: z.strictObject({ turns: count, savedTurns: z.number(), savedInputTokens: z.number(), savedCachedInputTokens: z.number(), savedLatencyMs: z.number() }),
  })
  .describe('Trace data of an imported session');

/**
 * A session's strategy data: each field belongs to one strategy (`plan` to
 * plan-execute, `budget` to budgeted, `chain` to chain, `hybrid` to hybrid) or
 * to the trace importer (`trace`). Absent fields: the producer did not run.
 */
export const strategyDataSchema = z
  .strictObject({
    plan: planDataSchema.optional(),
    budget: budgetDataSchema.optional(),
    chain: chainDataSchema.optional(),
    hybrid: hybridDataSchema.optional(),
    trace: traceDataSchema.optional(),
  })
  .describe('Typed per-strategy data of a session');

/** The strategy each field of the strategy data belongs to (`trace` belongs to imported sessions, whatever their strategy). */
export const STRATEGY_OF_DATA = { plan: 'plan-execute', budget: 'budgeted', chain: 'chain', hybrid: 'hybrid' } as const;

export type TaskNode = z.infer<typeof taskNodeSchema>;
export type PlanViolation = z.infer<typeof planViolationSchema>;
export type PlanData = z.infer<typeof planDataSchema>;
export type BudgetData = z.infer<typeof budgetDataSchema>;
export type StepReport = z.infer<typeof stepReportSchema>;
export type ChainData = z.infer<typeof chainDataSchema>;
export type HybridData = z.infer<typeof hybridDataSchema>;
export type TraceData = z.infer<typeof traceDataSchema>;
export type StrategyData = z.infer<typeof strategyDataSchema>;
