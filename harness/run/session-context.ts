import { renderUserMessage, type Variant } from '../scenarios/load-variants.js';
import { estimateInputTokens, estimateOutputTokens, requestChars } from '../providers/token-estimate.js';
import { textOf, toolCalls, type Message, type ModelRequest, type Provider, type ToolCallPart } from '../providers/types.js';
import type { CallRecord, ChainCallRecord, SessionError, StrategyData, TurnRecord } from '../core/run-file/records.js';
import { matchExpectedCall } from '../scenarios/expected-calls.js';
import type { ExpectedCall } from '../scenarios/schema.js';
import type { ToolExecutor, ToolOutcome } from '../scenarios/mock-tools.js';
import type { Scenario } from '../scenarios/types.js';
import type { StopRule } from './stop-rules.js';

/** Everything a strategy needs to drive one session. */
export interface SessionSpec {
  runId: string;
  scenario: Scenario;
  variant: Variant;
  provider: Provider;
  repeat: number;
  /** Seed of this session (derived from the run seed, stable across concurrency). */
  seed: number;
  tools: ToolExecutor;
  stopRules: readonly StopRule[];
  /** Virtual latency charged for every model call, in ms. */
  modelLatencyMs: number;
  signal?: AbortSignal;
}

export interface ModelTurnOptions {
  /** Tool definitions for this call; defaults to the scenario's tools. */
  tools?: ModelRequest['tools'];
  toolChoice?: 'auto' | 'none' | 'required';
  /** Overrides the variant's system prompt for this call. */
  system?: string;
  phase?: string;
}

/**
 * The mutable state of one session: message history, recorded turns, the
 * virtual clock and which expected calls were matched. Strategies drive it
 * through `callModel` and `executeCalls`, so every strategy records turns the
 * same way and every metric works unchanged.
 */
export class SessionContext {
  readonly messages: Message[] = [];
  readonly turns: TurnRecord[] = [];
  /** Expected-call ids matched by some call. */
  readonly matched = new Set<string>();
  /** Expected-call ids whose result came back without error. */
  readonly done = new Set<string>();
  virtualMs = 0;
  /** Strategy data stored with the session (`extra`: a plan's metrics, the budgets, the chain or hybrid steps). */
  readonly extra: StrategyData = {};
  /** Tool calls the harness made between model turns (chain steps, hybrid processing, plan execution). */
  readonly chainCalls: ChainCallRecord[] = [];
  /** The tool calls each turn's reply asked for; held by the session, not by its turns (which outlive it in the run). */
  readonly #calls = new Map<TurnRecord, ToolCallPart[]>();
  readonly #toolDefs: ModelRequest['tools'];
  /** The variant's system prompt with the scenario's context, built once: every turn sends the same string. */
  readonly #system: string;

  constructor(readonly spec: SessionSpec) {
    this.#toolDefs = spec.scenario.tools.map((t) => t.definition);
    this.#system = withScenarioContext(spec.variant.system, spec.scenario.context);
    this.messages.push({ role: 'user', content: userMessage(spec.variant, spec.scenario.task) });
  }

  /** One model call: builds the request from the history, records the turn, appends the assistant message. */
  async callModel(options: ModelTurnOptions = {}): Promise<TurnRecord> {
    const { spec } = this;
    const request: ModelRequest = {
      system: options.system === undefined ? this.#system : withScenarioContext(options.system, spec.scenario.context),
      messages: [...this.messages],
      tools: options.tools ?? this.#toolDefs,
      options: {
        parallelToolCalls: spec.variant.parallelToolCalls,
        ...(options.toolChoice ? { toolChoice: options.toolChoice } : {}),
      },
      context: {
        scenarioId: spec.scenario.id,
        variantId: spec.variant.id,
        repeat: spec.repeat,
        turn: this.turns.length + 1,
        seed: spec.seed,
        ...(options.phase ? { phase: options.phase } : {}),
      },
    };
    const started = performance.now();
    const response = await spec.provider.generate(request, spec.signal);
    const realLatencyMs = performance.now() - started;
    const u = response.usage;
    const estimated = u.inputTokens === undefined || u.outputTokens === undefined;
    const turn: TurnRecord = {
      index: this.turns.length + 1,
      requestMessages: request.messages.length,
      requestChars: requestChars(request),
      text: textOf(response.parts),
      finishReason: response.finishReason,
      calls: [],
      usage: {
        inputTokens: u.inputTokens ?? estimateInputTokens(request),
        outputTokens: u.outputTokens ?? estimateOutputTokens(response.parts),
        cachedInputTokens: u.cachedInputTokens ?? 0,
        ...(u.reasoningTokens !== undefined ? { reasoningTokens: u.reasoningTokens } : {}),
        estimated,
      },
      virtual: { startMs: this.virtualMs, modelMs: spec.modelLatencyMs, toolsMs: 0, endMs: this.virtualMs + spec.modelLatencyMs },
      realLatencyMs,
      retries: response.retries ?? 0,
      ...(options.phase ? { phase: options.phase } : {}),
    };
    this.virtualMs = turn.virtual.endMs;
    this.turns.push(turn);
    this.messages.push({ role: 'assistant', parts: response.parts });
    this.#calls.set(turn, toolCalls(response.parts));
    return turn;
  }

  /** The tool calls the model asked for in `turn`. */
  callsOf(turn: TurnRecord): ToolCallPart[] {
    return this.#calls.get(turn) ?? [];
  }

  /**
   * Runs calls concurrently (all started together), records them on `turn` in
   * call order, advances the virtual clock by the slowest, and appends one tool
   * message with the results in call order.
   */
  async executeCalls(turn: TurnRecord, calls: readonly ToolCallPart[], override?: (call: ToolCallPart, index: number) => ToolOutcome | undefined): Promise<CallRecord[]> {
    const records = await this.#run(calls, override);
    turn.calls.push(...records);
    const toolsMs = Math.max(0, ...records.map((r) => r.latencyMs));
    turn.virtual.toolsMs += toolsMs;
    turn.virtual.endMs += toolsMs;
    this.virtualMs = turn.virtual.endMs;
    if (records.length > 0) {
      this.messages.push({
        role: 'tool',
        results: records.map((r) => ({ type: 'tool-result', callId: r.id, toolName: r.name, content: r.result, isError: r.isError })),
      });
    }
    return records;
  }

  /**
   * Runs calls no model turn asked for (one wave of a chain, hybrid step or
   * plan) concurrently, records them in `chainCalls` (not on any turn) and
   * advances the virtual clock by the slowest. Appends no message: the
   * strategy puts the results in front of the model itself (`addUserText`).
   */
  async executeChainCalls(
    source: ChainCallRecord['source'],
    wave: number,
    steps: readonly { step: string; call: ToolCallPart }[],
  ): Promise<ChainCallRecord[]> {
    const startMs = this.virtualMs;
    const records = (await this.#run(steps.map((s) => s.call))).map(
      (r, i): ChainCallRecord => ({ ...r, source, step: steps[i]?.step ?? '', wave, beforeTurn: this.turns.length + 1, startMs }),
    );
    this.chainCalls.push(...records);
    this.virtualMs = startMs + Math.max(0, ...records.map((r) => r.latencyMs));
    return records;
  }

  /** Appends text for the model as a user message (merged into the last message when that is a user message). */
  addUserText(text: string): void {
    const last = this.messages.at(-1);
    if (last?.role === 'user') this.messages[this.messages.length - 1] = { role: 'user', content: `${last.content}\n\n${text}` };
    else this.messages.push({ role: 'user', content: text });
  }

  /**
   * Runs calls concurrently (all started together) and matches each to an
   * expected call. A call refused as over budget was never made, so it does
   * not count as matched.
   */
  async #run(calls: readonly ToolCallPart[], override?: (call: ToolCallPart, index: number) => ToolOutcome | undefined): Promise<CallRecord[]> {
    const doneBefore = new Set(this.done);
    const byId = expectedById(this.spec.scenario.expectedCalls);
    const outcomes = await Promise.all(
      calls.map(async (call, i): Promise<ToolOutcome> => {
        const forced = override?.(call, i);
        if (forced) return forced;
        try {
          return await this.spec.tools.execute(call.name, call.args, call.rawArgs, this.spec.signal);
        } catch (e) {
          return { content: `Error: ${call.name} failed: ${(e as Error).message}`, isError: true, errorKind: 'handler', latencyMs: 0 };
        }
      }),
    );
    return calls.map((call, i): CallRecord => {
      const outcome = outcomes[i] as ToolOutcome;
      const node = matchExpectedCall(this.spec.scenario.expectedCalls, call.name, call.args, this.matched);
      if (node && outcome.errorKind !== 'over-budget') {
        this.matched.add(node.id);
        if (!outcome.isError) this.done.add(node.id);
      }
      return {
        id: call.id,
        name: call.name,
        args: call.args,
        rawArgs: call.rawArgs,
        node: node?.id ?? null,
        depsSatisfied: node ? (byId.get(node.id)?.needs ?? []).every((n) => doneBefore.has(n)) : false,
        result: outcome.content,
        isError: outcome.isError,
        ...(outcome.errorKind ? { errorKind: outcome.errorKind } : {}),
        latencyMs: outcome.latencyMs,
      };
    });
  }
}

/** A variant's user message for each task, rendered once per template (every repeat and provider sends the same text). */
const userMessages = new WeakMap<Variant, { template: string; byTask: Map<string, string> }>();

function userMessage(variant: Variant, task: string): string {
  let known = userMessages.get(variant);
  if (known?.template !== variant.userTemplate) userMessages.set(variant, (known = { template: variant.userTemplate, byTask: new Map() }));
  let text = known.byTask.get(task);
  if (text === undefined) known.byTask.set(task, (text = renderUserMessage(variant, task)));
  return text;
}

/** Expected calls by id, built once per scenario (every batch of calls looks up their needs). */
const byIdOf = new WeakMap<readonly ExpectedCall[], Map<string, ExpectedCall>>();

function expectedById(calls: readonly ExpectedCall[]): Map<string, ExpectedCall> {
  let byId = byIdOf.get(calls);
  if (byId === undefined) byIdOf.set(calls, (byId = new Map(calls.map((c) => [c.id, c]))));
  return byId;
}

/** The status-bearing part of a session's outcome, as a strategy reports it. */
export type StrategyOutcome =
  | { kind: 'answered'; finalAnswer: string }
  | { kind: 'stopped'; reason: string; finalAnswer: string | null }
  | { kind: 'errored'; error: SessionError; finalAnswer: string | null };

/** The system text with the scenario's own context (an imported question's system prompt) after it. */
export function withScenarioContext(system: string, context: string | undefined): string {
  if (context === undefined) return system;
  return system === '' ? context : `${system}\n\n${context}`;
}
