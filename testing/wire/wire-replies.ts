import type { WireReply, WireRoute } from './wire-server.js';

/**
 * Response bodies in each API's real wire format, for scripting the wire
 * server. Field names follow the shapes the installed SDKs declare
 * (openai ChatCompletion / Response, @anthropic-ai/sdk Message).
 */

export interface ReplyCall {
  /** Provider-style id; generated from the index when absent. */
  id?: string;
  name: string;
  /** An object (serialised) or the exact argument string (e.g. malformed JSON). */
  args: Record<string, unknown> | string;
}

/** Usage in normalized terms; each builder writes it the way its API reports it. */
export interface ReplyUsage {
  /** All input tokens, cached and cache-written included. */
  input: number;
  output: number;
  cached?: number;
  /** Anthropic `cache_creation_input_tokens`; OpenAI `cache_write_tokens`. */
  cacheWrite?: number;
  reasoning?: number;
}

export interface ReplySpec {
  text?: string;
  calls?: ReplyCall[];
  /** Cut off by the token limit. */
  truncated?: boolean;
  usage?: ReplyUsage;
}

const argString = (args: ReplyCall['args']): string => (typeof args === 'string' ? args : JSON.stringify(args));

export function chatCompletion(spec: ReplySpec): Record<string, unknown> {
  const calls = spec.calls ?? [];
  const u = spec.usage;
  return {
    id: 'chatcmpl-wire',
    object: 'chat.completion',
    created: 1_767_225_600,
    model: 'wire-model',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: spec.text ?? null,
          refusal: null,
          ...(calls.length > 0
            ? { tool_calls: calls.map((c, i) => ({ id: c.id ?? `call_${i + 1}`, type: 'function', function: { name: c.name, arguments: argString(c.args) } })) }
            : {}),
        },
        logprobs: null,
        finish_reason: spec.truncated ? 'length' : calls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    ...(u
      ? {
          usage: {
            prompt_tokens: u.input,
            completion_tokens: u.output,
            total_tokens: u.input + u.output,
            prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0 },
            completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
          },
        }
      : {}),
  };
}

export function responsesResponse(spec: ReplySpec): Record<string, unknown> {
  const calls = spec.calls ?? [];
  const u = spec.usage;
  const output: unknown[] = [];
  if (spec.text !== undefined) {
    output.push({
      id: 'msg_wire',
      type: 'message',
      role: 'assistant',
      status: spec.truncated ? 'incomplete' : 'completed',
      content: [{ type: 'output_text', text: spec.text, annotations: [] }],
    });
  }
  calls.forEach((c, i) => {
    const callId = c.id ?? `call_${i + 1}`;
    output.push({ id: `fc_${callId.replace(/^call_/, '')}`, type: 'function_call', call_id: callId, name: c.name, arguments: argString(c.args), status: 'completed' });
  });
  return {
    id: 'resp_wire',
    object: 'response',
    created_at: 1_767_225_600,
    status: spec.truncated ? 'incomplete' : 'completed',
    error: null,
    incomplete_details: spec.truncated ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    metadata: {},
    model: 'wire-model',
    output,
    parallel_tool_calls: true,
    temperature: 1,
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    ...(u
      ? {
          usage: {
            input_tokens: u.input,
            input_tokens_details: { cached_tokens: u.cached ?? 0, cache_write_tokens: u.cacheWrite ?? 0 },
            output_tokens: u.output,
            output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
            total_tokens: u.input + u.output,
          },
        }
      : {}),
  };
}

export function anthropicMessage(spec: ReplySpec): Record<string, unknown> {
  const calls = spec.calls ?? [];
  const u = spec.usage;
  const content: unknown[] = [];
  if (spec.text !== undefined) content.push({ type: 'text', text: spec.text });
  calls.forEach((c, i) => {
    content.push({
      type: 'tool_use',
      id: c.id ?? `toolu_${i + 1}`,
      name: c.name,
      input: typeof c.args === 'string' ? safeParse(c.args) : c.args,
      caller: { type: 'direct' },
    });
  });
  return {
    id: 'msg_wire',
    type: 'message',
    role: 'assistant',
    model: 'wire-model',
    content,
    stop_reason: spec.truncated ? 'max_tokens' : calls.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    ...(u
      ? {
          usage: {
            input_tokens: u.input - (u.cached ?? 0) - (u.cacheWrite ?? 0),
            cache_read_input_tokens: u.cached ?? 0,
            cache_creation_input_tokens: u.cacheWrite ?? 0,
            output_tokens: u.output,
            ...(u.reasoning !== undefined ? { output_tokens_details: { thinking_tokens: u.reasoning } } : {}),
          },
        }
      : {}),
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The success body for `route`. */
export function replyBody(route: WireRoute, spec: ReplySpec): Record<string, unknown> {
  switch (route) {
    case 'chat':
      return chatCompletion(spec);
    case 'responses':
      return responsesResponse(spec);
    case 'messages':
      return anthropicMessage(spec);
  }
}

/** An error reply as the API sends it (OpenAI `{error}`; Anthropic `{type: 'error', error}`). */
export function errorReply(route: WireRoute, status: number, message: string, headers: Record<string, string> = {}): WireReply {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  const body = route === 'messages' ? { type: 'error', error: { type, message } } : { error: { message, type, param: null, code: null } };
  return { status, headers, body };
}
