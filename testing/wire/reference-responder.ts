import type { Scenario } from '../../harness/scenarios/types.js';
import { ReferencePolicyProvider, type ReferencePolicy } from '../../harness/providers/reference/reference-policy.js';
import { estimateInputTokens, estimateOutputTokens } from '../../harness/providers/token-estimate.js';
import { toolCalls, textOf, type ModelRequest } from '../../harness/providers/types.js';
import { decodeWireRequest, type DecodedRequest } from './wire-decode.js';
import { replyBody } from './wire-replies.js';
import type { ReceivedRequest, WireReply, WireRoute } from './wire-server.js';

/**
 * A wire-server step that answers like a reference policy: it decodes the
 * history it receives, asks `ReferencePolicyProvider` for the next move and
 * replies in the route's wire format, with tokenizer counts as usage. A whole
 * run through a real SDK can then be checked against the reference numbers.
 */
export interface ReferenceResponderOptions {
  policy?: ReferencePolicy;
  /** Simulated model latency per reply. */
  delayMs?: number;
  /** Called with every decoded request (for assertions on the history). */
  onRequest?: (decoded: DecodedRequest, scenario: Scenario, request: ReceivedRequest) => void;
}

/** The scenario a request belongs to: the one whose task the first user message contains, else the one with the same tools. */
export function findScenario(scenarios: readonly Scenario[], decoded: DecodedRequest): Scenario | undefined {
  const first = decoded.messages.find((m) => m.role === 'user');
  const text = first?.role === 'user' ? first.content : '';
  const byTask = scenarios.filter((s) => text.includes(s.task));
  if (byTask.length > 0) return byTask.sort((a, b) => b.task.length - a.task.length)[0];
  const names = decoded.tools.map((t) => t.name).sort().join(',');
  const byTools = scenarios.filter((s) => s.tools.map((t) => t.definition.name).sort().join(',') === names);
  return byTools.length === 1 ? byTools[0] : undefined;
}

const ID_PREFIX: Record<WireRoute, string> = { chat: 'call', responses: 'call', messages: 'toolu' };

export function referenceResponder(route: WireRoute, scenarios: readonly Scenario[], options: ReferenceResponderOptions = {}): (request: ReceivedRequest) => Promise<WireReply> {
  const policy = options.policy ?? { name: 'optimal' };
  return async (received): Promise<WireReply> => {
    const decoded = decodeWireRequest(route, received.body);
    const scenario = findScenario(scenarios, decoded);
    if (!scenario) throw new Error(`no scenario matches this request (first user message: ${JSON.stringify(decoded.messages[0]).slice(0, 120)})`);
    options.onRequest?.(decoded, scenario, received);
    const turn = decoded.messages.filter((m) => m.role === 'assistant').length + 1;
    const request: ModelRequest = { ...decoded, context: { scenarioId: scenario.id, variantId: 'wire', repeat: 1, turn, seed: 0 } };
    // A stand-in for a model reads the prompt as a model would: a prompt that spells out the
    // `parallel_groups` plan format (the json-plan variant) gets a plan before the first calls.
    const first = decoded.messages[0];
    const asksForPlan = decoded.system.includes('parallel_groups') || (first?.role === 'user' && first.content.includes('parallel_groups'));
    const response = await new ReferencePolicyProvider(policy, scenario, asksForPlan).generate(request);
    const calls = toolCalls(response.parts).map((c, i) => ({ id: `${ID_PREFIX[route]}_${turn}_${i + 1}`, name: c.name, args: c.rawArgs }));
    const text = textOf(response.parts);
    const body = replyBody(route, {
      ...(text !== '' ? { text } : {}),
      calls,
      usage: { input: estimateInputTokens(decoded), output: estimateOutputTokens(response.parts) },
    });
    return { body, ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}) };
  };
}
