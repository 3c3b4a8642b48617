import { renderPlan, type Plan } from '../../core/plan-format.js';
import { matchExpectedCall } from '../../scenarios/expected-calls.js';
import type { ExpectedCall } from '../../scenarios/schema.js';
import type { Scenario } from '../../scenarios/types.js';
import { deriveSeed, mulberry32 } from '../../core/rng.js';
import type { AssistantPart, Message, ModelRequest, ModelResponse, Provider } from '../types.js';

/**
 * Reference policies: oracles that read the scenario's dependency structure
 * instead of a model. They show what a task allows (optimal), what a model that
 * never batches does (sequential), and everything between (stochastic), with no
 * API key. They report no usage: the loop counts their tokens with the tokenizer
 * and flags them as estimated. They are never model results.
 */
export type ReferencePolicy =
  | { name: 'sequential' }
  | { name: 'optimal' }
  | { name: 'stochastic'; p: number };

export function policyId(policy: ReferencePolicy): string {
  return policy.name === 'stochastic' ? `ref:stochastic:${policy.p}` : `ref:${policy.name}`;
}

/** What a history shows of the task so far, and the messages it was read from (a copy: the caller's array may change). */
interface Progress {
  calls: readonly ExpectedCall[];
  messages: readonly Message[];
  issued: Set<string>;
  nodeOfCall: Map<string, string>;
  done: Set<string>;
}

/** The progress read last, kept by the history's first message: the next turn's history starts with the same messages. */
const progressByFirst = new WeakMap<Message, Progress>();

/**
 * State of the task as the history shows it. A session's next request re-sends its history and
 * adds a few messages: when the history starts with the messages read last for the same first
 * message, only the new ones are read.
 */
export function progressFromHistory(
  scenario: Pick<Scenario, 'expectedCalls'>,
  request: Pick<ModelRequest, 'messages'>,
): { issued: Set<string>; done: Set<string> } {
  const { messages } = request;
  const first = messages[0];
  const last = first === undefined ? undefined : progressByFirst.get(first);
  const progress: Progress =
    last !== undefined && last.calls === scenario.expectedCalls && last.messages.length <= messages.length && last.messages.every((m, i) => m === messages[i])
      ? last
      : { calls: scenario.expectedCalls, messages: [], issued: new Set(), nodeOfCall: new Map(), done: new Set() };
  const { issued, nodeOfCall, done } = progress;
  for (let i = progress.messages.length; i < messages.length; i += 1) {
    const m = messages[i] as Message;
    if (m.role === 'assistant') {
      for (const p of m.parts) {
        if (p.type !== 'tool-call') continue;
        const node = matchExpectedCall(scenario.expectedCalls, p.name, p.args, issued);
        if (node) {
          issued.add(node.id);
          nodeOfCall.set(p.id, node.id);
        }
      }
    } else if (m.role === 'tool') {
      for (const r of m.results) {
        const node = nodeOfCall.get(r.callId);
        if (node && !r.isError) done.add(node);
      }
    }
  }
  if (first !== undefined) progressByFirst.set(first, { ...progress, messages: messages.slice() });
  return { issued: new Set(issued), done: new Set(done) };
}

/** A scenario's expected calls in its topological order, built once per scenario (policies ask every turn). */
const inOrderOf = new WeakMap<readonly string[], { calls: readonly ExpectedCall[]; inOrder: ExpectedCall[] }>();

function callsInOrder(scenario: Pick<Scenario, 'expectedCalls' | 'dag'>): ExpectedCall[] {
  const known = inOrderOf.get(scenario.dag.order);
  if (known !== undefined && known.calls === scenario.expectedCalls) return known.inOrder;
  const byId = new Map(scenario.expectedCalls.map((c) => [c.id, c]));
  const inOrder = scenario.dag.order.map((id) => byId.get(id)).filter((c): c is ExpectedCall => c !== undefined);
  inOrderOf.set(scenario.dag.order, { calls: scenario.expectedCalls, inOrder });
  return inOrder;
}

/** Expected calls whose needs are all done and that were not issued yet, in topological order. */
export function readyCalls(scenario: Pick<Scenario, 'expectedCalls' | 'dag'>, issued: Set<string>, done: Set<string>): ExpectedCall[] {
  return callsInOrder(scenario).filter((c) => !issued.has(c.id) && c.needs.every((n) => done.has(n)));
}

/** Which ready calls go into this turn's batch. Never empty when `ready` is not. */
export function chooseBatch(policy: ReferencePolicy, ready: readonly ExpectedCall[], seed: number, turn: number): ExpectedCall[] {
  const [first, ...rest] = ready;
  if (!first) return [];
  switch (policy.name) {
    case 'sequential':
      return [first];
    case 'optimal':
      return [...ready];
    case 'stochastic': {
      const rng = mulberry32(deriveSeed(seed, 'stochastic', turn));
      return [first, ...rest.filter(() => rng() < policy.p)];
    }
  }
}

/**
 * The plan this policy would follow: the batches it would make turn by turn,
 * as parallel groups (optimal: the DAG's levels; sequential: one call per
 * group in topological order; stochastic: its random batches).
 */
export function referencePlan(policy: ReferencePolicy, scenario: Pick<Scenario, 'expectedCalls' | 'dag'>, seed: number): Plan {
  const done = new Set<string>();
  const groups: Plan['groups'] = [];
  for (let step = 1; ; step++) {
    const batch = chooseBatch(policy, readyCalls(scenario, done, done), seed, step);
    if (batch.length === 0) return { groups };
    groups.push(batch.map((c) => ({ tool: c.tool, args: { ...c.args } })));
    for (const c of batch) done.add(c.id);
  }
}

/** An expected call's arguments as JSON text, written once per call of the scenario (every session issues them again). */
const rawArgsByCall = new WeakMap<ExpectedCall, string>();

function rawArgsOf(c: ExpectedCall): string {
  let raw = rawArgsByCall.get(c);
  if (raw === undefined) rawArgsByCall.set(c, (raw = JSON.stringify(c.args)));
  return raw;
}

export class ReferencePolicyProvider implements Provider {
  readonly kind = 'reference' as const;
  readonly id: string;

  constructor(
    readonly policy: ReferencePolicy,
    private readonly scenario: Pick<Scenario, 'expectedCalls' | 'dag' | 'referenceAnswer'>,
    /** The session's variant asks for a JSON plan before the first calls (the json-plan variant): the first turn writes one. */
    private readonly writesPlanFirst = false,
  ) {
    this.id = policyId(policy);
  }

  generate(request: ModelRequest): Promise<ModelResponse> {
    const { phase } = request.context;
    if (phase === 'plan' || phase === 'replan') {
      const plan = renderPlan(referencePlan(this.policy, this.scenario, request.context.seed));
      return Promise.resolve({ parts: [{ type: 'text', text: `\`\`\`json\n${plan}\n\`\`\`` }], finishReason: 'stop', usage: {} });
    }
    const { done } = progressFromHistory(this.scenario, request);
    // Calls that came back as errors (e.g. refused over a per-turn budget) are made again.
    const ready = readyCalls(this.scenario, done, done);
    let batch = chooseBatch(this.policy, ready, request.context.seed, request.context.turn);
    if (!request.options.parallelToolCalls) batch = batch.slice(0, 1);
    if (batch.length === 0 || request.options.toolChoice === 'none') {
      return Promise.resolve({ parts: [{ type: 'text', text: this.scenario.referenceAnswer }], finishReason: 'stop', usage: {} });
    }
    const plan: AssistantPart[] = this.writesPlanFirst && request.context.turn === 1
      ? [{ type: 'text', text: `Plan:\n\`\`\`json\n${renderPlan(referencePlan(this.policy, this.scenario, request.context.seed))}\n\`\`\`` }]
      : [];
    const parts: AssistantPart[] = [...plan, ...batch.map((c, i): AssistantPart => ({
      type: 'tool-call',
      id: `call_${request.context.turn}_${i + 1}`,
      name: c.tool,
      args: { ...c.args },
      rawArgs: rawArgsOf(c),
    }))];
    return Promise.resolve({ parts, finishReason: 'tool-calls', usage: {} });
  }
}

/** Parses `sequential`, `optimal`, `stochastic` or `stochastic:<p>` (p in [0, 1], default 0.5). */
export function parseReferencePolicy(spec: string): ReferencePolicy | undefined {
  const [name, arg] = spec.split(':', 2);
  if (name === 'sequential' && arg === undefined) return { name };
  if (name === 'optimal' && arg === undefined) return { name };
  if (name === 'stochastic') {
    const p = arg === undefined ? 0.5 : Number(arg);
    if (!Number.isFinite(p) || p < 0 || p > 1) return undefined;
    return { name, p };
  }
  return undefined;
}
