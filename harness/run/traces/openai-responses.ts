import type { Response, ResponseCreateParams, ResponseInputItem, ResponseOutputItem, Tool } from 'openai/resources/responses/responses';
import { responsesUsage } from '../../providers/usage.js';
import { lineTiming, modelOf, looksLikeError, parseArgs, type TraceCall, type TraceMessage, type TraceSource, type TraceToolCall } from './trace-call.js';
import { TraceLineError } from './trace-line-error.js';

/**
 * Reader for OpenAI Responses API traces: one JSON object per line,
 * `{"request": <ResponseCreateParams>, "response": <Response>}`. Tool calls are
 * `function_call` output items, results `function_call_output` input items of a
 * later request. A request with `previous_response_id` carries only the new
 * input: it continues the session of that response (see rebuild-sessions.ts).
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a parsed line has the shape of this format (for format detection). */
export function isOpenAiResponsesLine(line: unknown): boolean {
  return isObject(line) && isObject(line.request) && isObject(line.response) && line.response.object === 'response' && Array.isArray(line.response.output);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p: unknown) => (isObject(p) && (p.type === 'input_text' || p.type === 'output_text' || p.type === 'text') && typeof p.text === 'string' ? p.text : '')).join('');
}

function functionCall(item: { call_id: string; name: string; arguments: string }, path: string): TraceToolCall {
  if (typeof item.name !== 'string') throw new TraceLineError(`${path}.name`, 'a function_call without a name');
  const raw = typeof item.arguments === 'string' ? item.arguments : JSON.stringify(item.arguments ?? {});
  return { id: String(item.call_id), name: item.name, rawArgs: raw, args: parseArgs(raw) };
}

/** Input items to messages: consecutive function_call items form one assistant message. */
function toMessages(items: readonly ResponseInputItem[]): TraceMessage[] {
  const out: TraceMessage[] = [];
  items.forEach((item, i) => {
    const path = `request.input.${i}`;
    if (!isObject(item)) throw new TraceLineError(path, 'not an object');
    if (item.type === 'function_call') {
      const call = functionCall(item, path);
      const last = out[out.length - 1];
      if (last?.role === 'assistant' && last.text === '') last.toolCalls.push(call);
      else out.push({ role: 'assistant', text: '', toolCalls: [call] });
    } else if (item.type === 'function_call_output') {
      const text = typeof item.output === 'string' ? item.output : contentText(item.output);
      out.push({ role: 'tool', toolCallId: String(item.call_id), text, isError: looksLikeError(text) });
    } else if ('role' in item && (item.type === 'message' || item.type === undefined)) {
      const text = contentText(item.content);
      if (item.role === 'assistant') out.push({ role: 'assistant', text, toolCalls: [] });
      else if (item.role === 'user') out.push({ role: 'user', text });
      else out.push({ role: 'system', text });
    }
    // Reasoning, web search and other server-side items carry no client tool data.
  });
  return out;
}

function outputCalls(output: readonly ResponseOutputItem[]): TraceToolCall[] {
  return output.flatMap((item, j) => (isObject(item) && item.type === 'function_call' ? [functionCall(item, `response.output.${j}`)] : []));
}

function outputText(output: readonly ResponseOutputItem[]): string {
  return output.map((item) => (isObject(item) && item.type === 'message' ? contentText(item.content) : '')).join('');
}

/** Reads one parsed line; throws `TraceLineError` naming the field on a shape it cannot read. */
export function readOpenAiResponsesLine(line: unknown, source: TraceSource): TraceCall {
  if (!isOpenAiResponsesLine(line) || !isObject(line)) throw new TraceLineError('', 'expected {"request": <response create body>, "response": <Response>}');
  const request = line.request as unknown as ResponseCreateParams;
  const response = line.response as unknown as Response;
  const messages: TraceMessage[] = [];
  if (typeof request.instructions === 'string' && request.instructions !== '' && !request.previous_response_id) messages.push({ role: 'system', text: request.instructions });
  if (typeof request.input === 'string') messages.push({ role: 'user', text: request.input });
  else if (Array.isArray(request.input)) messages.push(...toMessages(request.input));
  const tools = Array.isArray(request.tools)
    ? request.tools
        .filter((t: Tool): t is Extract<Tool, { type: 'function' }> => isObject(t) && t.type === 'function')
        .map((t) => ({ name: t.name, description: t.description ?? '', parameters: (t.parameters as Record<string, unknown> | null) ?? { type: 'object', properties: {} } }))
    : [];
  const toolCalls = outputCalls(response.output);
  const u = responsesUsage(response.usage);
  const usage = u.inputTokens !== undefined && u.outputTokens !== undefined
    ? { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cachedInputTokens: u.cachedInputTokens ?? 0, ...(u.reasoningTokens !== undefined ? { reasoningTokens: u.reasoningTokens } : {}) }
    : undefined;
  const timing = lineTiming(line);
  const created = typeof response.created_at === 'number' ? response.created_at * 1000 : undefined;
  const completed = typeof response.completed_at === 'number' ? response.completed_at * 1000 : undefined;
  const incomplete = response.status === 'incomplete';
  return {
    source,
    model: modelOf(response, request),
    messages,
    tools,
    reply: { text: outputText(response.output), toolCalls, finishReason: toolCalls.length > 0 ? 'tool-calls' : incomplete ? 'length' : 'stop' },
    usage,
    latencyMs: timing.latencyMs ?? (created !== undefined && completed !== undefined && completed >= created ? completed - created : undefined),
    startedAt: timing.startedAt ?? (created !== undefined ? new Date(created).toISOString() : undefined),
    responseId: String(response.id),
    ...(typeof request.previous_response_id === 'string' && request.previous_response_id !== '' ? { previousResponseId: request.previous_response_id } : {}),
  };
}
