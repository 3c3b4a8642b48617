/**
 * The provider seam: the only contract between the agent loop and anything that
 * produces model turns (reference policies, scripted test providers, real APIs).
 */
import type { ToolDefinition } from '../core/tools.js';
import type { FinishReason, ProviderKind } from '../core/run-file/records.js';

export type { JsonSchema, ToolDefinition } from '../core/tools.js';
export type { FinishReason, ProviderKind } from '../core/run-file/records.js';

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  /** Provider-issued id; tool results are sent back under it. */
  id: string;
  name: string;
  /** Parsed arguments; `undefined` when `rawArgs` is not a JSON object. */
  args: Record<string, unknown> | undefined;
  /** The argument string exactly as the model produced it. */
  rawArgs: string;
}

export type AssistantPart = TextPart | ToolCallPart;

export interface ToolResultPart {
  type: 'tool-result';
  callId: string;
  toolName: string;
  content: string;
  isError: boolean;
}

export type Message =
  | { role: 'user'; content: string }
  | { role: 'assistant'; parts: AssistantPart[] }
  | { role: 'tool'; results: ToolResultPart[] };

/** Token usage as the provider reported it; any field may be missing. */
export interface Usage {
  /** All input tokens of the request, cached ones included. */
  inputTokens?: number;
  outputTokens?: number;
  /** The part of `inputTokens` served from a prompt cache. */
  cachedInputTokens?: number;
  /** The part of `outputTokens` spent on hidden reasoning, where reported. */
  reasoningTokens?: number;
}

export interface RequestContext {
  scenarioId: string;
  variantId: string;
  repeat: number;
  /** 1-based index of the model call within the session. */
  turn: number;
  /** Seed of this session, derived from the run seed. */
  seed: number;
  /** Which part of a strategy makes this call (`plan`, `replan`, `gather`, `synthesis`, `final`); never sent to a model. */
  phase?: string;
}

export interface ModelRequest {
  system: string;
  messages: readonly Message[];
  tools: readonly ToolDefinition[];
  options: {
    /** Whether the model may return several tool calls in one response. */
    parallelToolCalls: boolean;
    toolChoice?: 'auto' | 'none' | 'required';
  };
  context: RequestContext;
}

export interface ModelResponse {
  parts: AssistantPart[];
  finishReason: FinishReason;
  usage: Usage;
  /** Retries the provider spent on this response. */
  retries?: number;
}

export interface Provider {
  /** Stable id as given on the command line, e.g. `ref:optimal`, `openai:gpt-4o`. */
  readonly id: string;
  /** Reference policies are labelled as such in every output. */
  readonly kind: ProviderKind;
  generate(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse>;
}

export function toolCalls(parts: readonly AssistantPart[]): ToolCallPart[] {
  return parts.filter((p): p is ToolCallPart => p.type === 'tool-call');
}

export function textOf(parts: readonly AssistantPart[]): string {
  return parts
    .filter((p): p is TextPart => p.type === 'text')
    .map((p) => p.text)
    .join('');
}
