import type { Message, MessageCreateParams, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { anthropicUsage } from '../../providers/usage.js';
import { lineTiming, modelOf, type TraceCall, type TraceMessage, type TraceSource, type TraceToolCall } from './trace-call.js';
import { TraceLineError } from './trace-line-error.js';

/**
 * Reader for Anthropic Messages traces: one JSON object per line,
 * `{"request": <MessageCreateParams>, "response": <Message>}`. Tool calls are
 * `tool_use` blocks of the reply, results `tool_result` blocks of the next
 * user message (`is_error` marks a failed call). Optional line fields:
 * `latency_ms` (or `duration_ms`), `started_at`, `ended_at`.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a parsed line has the shape of this format (for format detection). */
export function isAnthropicLine(line: unknown): boolean {
  return isObject(line) && isObject(line.request) && Array.isArray(line.request.messages) && isObject(line.response) && line.response.type === 'message' && Array.isArray(line.response.content);
}

/** Text of a content: a string, or the text blocks of an array (tool_result content may nest them). */
function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b: unknown) => (isObject(b) && b.type === 'text' && typeof b.text === 'string' ? b.text : '')).join('');
}

function toolUse(b: Record<string, unknown>, path: string): TraceToolCall {
  if (typeof b.name !== 'string') throw new TraceLineError(`${path}.name`, 'a tool_use block without a name');
  const args = isObject(b.input) ? b.input : undefined;
  return { id: String(b.id), name: b.name, rawArgs: JSON.stringify(b.input ?? {}), args };
}

function toMessages(m: MessageParam, path: string): TraceMessage[] {
  if (m.role === 'assistant') {
    const blocks = typeof m.content === 'string' ? [] : m.content;
    const calls = blocks.flatMap((b, j) => (isObject(b) && b.type === 'tool_use' ? [toolUse(b as unknown as Record<string, unknown>, `${path}.content.${j}`)] : []));
    return [{ role: 'assistant', text: blockText(m.content), toolCalls: calls }];
  }
  if (m.role !== 'user') throw new TraceLineError(`${path}.role`, `unknown role ${JSON.stringify((m as { role?: unknown }).role)}`);
  if (typeof m.content === 'string') return [{ role: 'user', text: m.content }];
  const out: TraceMessage[] = [];
  for (const b of m.content) {
    if (isObject(b) && b.type === 'tool_result') {
      out.push({ role: 'tool', toolCallId: String(b.tool_use_id), text: blockText(b.content), isError: b.is_error === true });
    }
  }
  const text = blockText(m.content);
  if (text !== '' || out.length === 0) out.push({ role: 'user', text });
  return out;
}

function toTool(t: Tool): { name: string; description: string; parameters: Record<string, unknown> } {
  return { name: t.name, description: t.description ?? '', parameters: (t.input_schema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } };
}

const STOP: Record<string, TraceCall['reply']['finishReason']> = { end_turn: 'stop', stop_sequence: 'stop', tool_use: 'tool-calls', max_tokens: 'length', refusal: 'content-filter' };

/** Reads one parsed line; throws `TraceLineError` naming the field on a shape it cannot read. */
export function readAnthropicLine(line: unknown, source: TraceSource): TraceCall {
  if (!isAnthropicLine(line) || !isObject(line)) throw new TraceLineError('', 'expected {"request": <message create body>, "response": <Message>}');
  const request = line.request as unknown as MessageCreateParams;
  const response = line.response as unknown as Message;
  const messages: TraceMessage[] = [];
  const system = blockText(request.system);
  if (system !== '') messages.push({ role: 'system', text: system });
  request.messages.forEach((m, i) => {
    if (!isObject(m)) throw new TraceLineError(`request.messages.${i}`, 'not an object');
    messages.push(...toMessages(m, `request.messages.${i}`));
  });
  const tools = Array.isArray(request.tools) ? request.tools.filter((t): t is Tool => isObject(t) && typeof t.name === 'string' && 'input_schema' in t).map(toTool) : [];
  const toolCalls = response.content.flatMap((b, j) => (isObject(b) && b.type === 'tool_use' ? [toolUse(b as unknown as Record<string, unknown>, `response.content.${j}`)] : []));
  const u = anthropicUsage(response.usage);
  const usage = u.inputTokens !== undefined && u.outputTokens !== undefined
    ? { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cachedInputTokens: u.cachedInputTokens ?? 0 }
    : undefined;
  const { latencyMs, startedAt } = lineTiming(line);
  return {
    source,
    model: modelOf(response, request),
    messages,
    tools,
    reply: { text: blockText(response.content), toolCalls, finishReason: STOP[response.stop_reason ?? ''] ?? (toolCalls.length > 0 ? 'tool-calls' : 'other') },
    usage,
    latencyMs,
    startedAt,
  };
}
