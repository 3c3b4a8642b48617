import type {
  ChatCompletion,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { looksLikeError, lineTiming, modelOf, parseArgs, type TraceCall, type TraceMessage, type TraceSource, type TraceToolCall } from './trace-call.js';
import { TraceLineError } from './trace-line-error.js';

/**
 * Reader for OpenAI Chat Completions traces: one JSON object per line,
 * `{"request": <ChatCompletionCreateParams>, "response": <ChatCompletion>}`,
 * as a logging proxy or an SDK wrapper writes them. Optional line fields:
 * `latency_ms` (or `duration_ms`), `started_at`, `ended_at`.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a parsed line has the shape of this format (for format detection). */
export function isOpenAiChatLine(line: unknown): boolean {
  return isObject(line) && isObject(line.request) && Array.isArray(line.request.messages) && isObject(line.response) && (line.response.object === 'chat.completion' || Array.isArray(line.response.choices));
}

/** Text of a message content: a string, or the text parts of an array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: unknown) => (isObject(p) && p.type === 'text' && typeof p.text === 'string' ? p.text : isObject(p) && typeof p.refusal === 'string' ? p.refusal : ''))
    .join('');
}

function toolCall(c: ChatCompletionMessageToolCall, path: string): TraceToolCall {
  if (c.type === 'function') {
    if (typeof c.function?.name !== 'string') throw new TraceLineError(`${path}.function.name`, 'a tool call without a function name');
    const raw = typeof c.function.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function.arguments ?? {});
    return { id: String(c.id), name: c.function.name, rawArgs: raw, args: parseArgs(raw) };
  }
  if (c.type === 'custom') return { id: String(c.id), name: c.custom.name, rawArgs: c.custom.input, args: { input: c.custom.input } };
  throw new TraceLineError(`${path}.type`, `unknown tool call type ${JSON.stringify((c as { type?: unknown }).type)}`);
}

function toMessage(m: ChatCompletionMessageParam, path: string): TraceMessage {
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', text: contentText(m.content) };
    case 'user':
      return { role: 'user', text: contentText(m.content) };
    case 'assistant':
      return { role: 'assistant', text: contentText(m.content), toolCalls: (m.tool_calls ?? []).map((c, i) => toolCall(c, `${path}.tool_calls.${i}`)) };
    case 'tool': {
      const text = contentText(m.content);
      return { role: 'tool', toolCallId: String(m.tool_call_id), text, isError: looksLikeError(text) };
    }
    case 'function': {
      const text = m.content ?? '';
      return { role: 'tool', toolCallId: m.name, text, isError: looksLikeError(text) };
    }
    default:
      throw new TraceLineError(`${path}.role`, `unknown role ${JSON.stringify((m as { role?: unknown }).role)}`);
  }
}

function toTool(t: ChatCompletionTool): { name: string; description: string; parameters: Record<string, unknown> } {
  if (t.type === 'custom') return { name: t.custom.name, description: t.custom.description ?? '', parameters: { type: 'object', properties: { input: { type: 'string' } } } };
  return { name: t.function.name, description: t.function.description ?? '', parameters: (t.function.parameters as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } };
}

const FINISH: Record<string, TraceCall['reply']['finishReason']> = { stop: 'stop', tool_calls: 'tool-calls', function_call: 'tool-calls', length: 'length', content_filter: 'content-filter' };

/** Reads one parsed line; throws `TraceLineError` naming the field on a shape it cannot read. */
export function readOpenAiChatLine(line: unknown, source: TraceSource): TraceCall {
  if (!isOpenAiChatLine(line) || !isObject(line)) throw new TraceLineError('', 'expected {"request": <chat completion create body>, "response": <ChatCompletion>}');
  const request = line.request as unknown as ChatCompletionCreateParams;
  const response = line.response as unknown as ChatCompletion;
  if (!Array.isArray(response.choices) || response.choices.length === 0 || !isObject(response.choices[0]?.message)) throw new TraceLineError('response.choices', 'no choice with a message');
  const messages = request.messages.map((m, i) => {
    if (!isObject(m)) throw new TraceLineError(`request.messages.${i}`, 'not an object');
    return toMessage(m, `request.messages.${i}`);
  });
  const tools = Array.isArray(request.tools) ? request.tools.filter(isObject).map((t) => toTool(t)) : [];
  const choice = response.choices[0];
  const msg = choice.message;
  const toolCalls = (msg.tool_calls ?? []).map((c, i) => toolCall(c, `response.choices.0.message.tool_calls.${i}`));
  const u = response.usage;
  const usage = u && typeof u.prompt_tokens === 'number' && typeof u.completion_tokens === 'number'
    ? {
        inputTokens: u.prompt_tokens,
        outputTokens: u.completion_tokens,
        cachedInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
        ...(u.completion_tokens_details?.reasoning_tokens !== undefined ? { reasoningTokens: u.completion_tokens_details.reasoning_tokens } : {}),
      }
    : undefined;
  const { latencyMs, startedAt } = lineTiming(line);
  return {
    source,
    model: modelOf(response, request),
    messages,
    tools,
    reply: { text: msg.content ?? msg.refusal ?? '', toolCalls, finishReason: FINISH[choice.finish_reason] ?? (toolCalls.length > 0 ? 'tool-calls' : 'other') },
    usage,
    latencyMs,
    startedAt: startedAt ?? (typeof response.created === 'number' ? new Date(response.created * 1000).toISOString() : undefined),
  };
}
