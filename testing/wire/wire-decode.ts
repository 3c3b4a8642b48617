import { parseToolArgs } from '../../harness/providers/tool-args.js';
import type { AssistantPart, Message, ModelRequest, ToolDefinition, ToolResultPart } from '../../harness/providers/types.js';
import type { WireRoute } from './wire-server.js';

/**
 * The inverse of the providers' encoders: a wire request body back to the
 * normalized request, so the wire server can ask a reference policy what to do
 * and tests can compare what was sent with what the loop held.
 */
export type DecodedRequest = Pick<ModelRequest, 'system' | 'messages' | 'tools' | 'options'>;

/* Wire bodies are untyped JSON here; every access is checked or defaulted. */
type Json = Record<string, any>;

export function decodeWireRequest(route: WireRoute, body: Json): DecodedRequest {
  switch (route) {
    case 'chat':
      return decodeChatRequest(body);
    case 'responses':
      return decodeResponsesRequest(body);
    case 'messages':
      return decodeMessagesRequest(body);
  }
}

const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((c: Json) => (typeof c?.text === 'string' ? c.text : '')).join('') : '';

/** Groups consecutive tool results into one tool message, naming each result's tool from its call. */
class HistoryBuilder {
  readonly messages: Message[] = [];
  readonly #toolNames = new Map<string, string>();

  user(content: string): void {
    this.messages.push({ role: 'user', content });
  }

  assistant(part: AssistantPart, merge: boolean): void {
    if (part.type === 'tool-call') this.#toolNames.set(part.id, part.name);
    const last = this.messages[this.messages.length - 1];
    if (merge && last?.role === 'assistant') last.parts.push(part);
    else this.messages.push({ role: 'assistant', parts: [part] });
  }

  assistantMessage(parts: AssistantPart[]): void {
    for (const p of parts) if (p.type === 'tool-call') this.#toolNames.set(p.id, p.name);
    this.messages.push({ role: 'assistant', parts });
  }

  result(callId: string, content: string, isError: boolean): void {
    const part: ToolResultPart = { type: 'tool-result', callId, toolName: this.#toolNames.get(callId) ?? '', content, isError };
    const last = this.messages[this.messages.length - 1];
    if (last?.role === 'tool') last.results.push(part);
    else this.messages.push({ role: 'tool', results: [part] });
  }
}

function options(parallel: unknown, choice: unknown): DecodedRequest['options'] {
  return {
    parallelToolCalls: parallel !== false,
    ...(choice === 'auto' || choice === 'none' || choice === 'required' ? { toolChoice: choice } : {}),
  };
}

function decodeChatRequest(body: Json): DecodedRequest {
  const h = new HistoryBuilder();
  let system = '';
  for (const m of (body.messages ?? []) as Json[]) {
    if (m.role === 'system' || m.role === 'developer') system += textOf(m.content);
    else if (m.role === 'user') h.user(textOf(m.content));
    else if (m.role === 'assistant') {
      const parts: AssistantPart[] = [];
      const text = textOf(m.content);
      if (text !== '') parts.push({ type: 'text', text });
      for (const c of (m.tool_calls ?? []) as Json[]) {
        const raw = String(c.function?.arguments ?? '');
        parts.push({ type: 'tool-call', id: String(c.id), name: String(c.function?.name), args: parseToolArgs(raw), rawArgs: raw });
      }
      h.assistantMessage(parts);
    } else if (m.role === 'tool') {
      const content = textOf(m.content);
      h.result(String(m.tool_call_id), content, content.startsWith('Error:'));
    }
  }
  const tools: ToolDefinition[] = ((body.tools ?? []) as Json[]).map((t) => ({
    name: String(t.function?.name),
    description: String(t.function?.description ?? ''),
    parameters: (t.function?.parameters ?? {}) as ToolDefinition['parameters'],
  }));
  return { system, messages: h.messages, tools, options: options(body.parallel_tool_calls, body.tool_choice) };
}

function decodeResponsesRequest(body: Json): DecodedRequest {
  const h = new HistoryBuilder();
  let system = typeof body.instructions === 'string' ? body.instructions : '';
  const items: Json[] = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : (body.input ?? []);
  for (const item of items) {
    const type = item.type ?? 'message';
    if (type === 'message') {
      if (item.role === 'system' || item.role === 'developer') system += textOf(item.content);
      else if (item.role === 'user') h.user(textOf(item.content));
      else if (item.role === 'assistant') h.assistant({ type: 'text', text: textOf(item.content) }, true);
    } else if (type === 'function_call') {
      const raw = String(item.arguments ?? '');
      h.assistant({ type: 'tool-call', id: String(item.call_id), name: String(item.name), args: parseToolArgs(raw), rawArgs: raw }, true);
    } else if (type === 'function_call_output') {
      const content = textOf(item.output);
      h.result(String(item.call_id), content, content.startsWith('Error:'));
    }
  }
  const tools: ToolDefinition[] = ((body.tools ?? []) as Json[])
    .filter((t) => t.type === 'function')
    .map((t) => ({ name: String(t.name), description: String(t.description ?? ''), parameters: (t.parameters ?? {}) as ToolDefinition['parameters'] }));
  return { system, messages: h.messages, tools, options: options(body.parallel_tool_calls, body.tool_choice) };
}

function decodeMessagesRequest(body: Json): DecodedRequest {
  const h = new HistoryBuilder();
  const system = textOf(body.system);
  for (const m of (body.messages ?? []) as Json[]) {
    const blocks: Json[] = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content ?? []);
    if (m.role === 'assistant') {
      const parts: AssistantPart[] = [];
      for (const b of blocks) {
        if (b.type === 'text' && b.text !== '') parts.push({ type: 'text', text: String(b.text) });
        if (b.type === 'tool_use') {
          const args = b.input !== null && typeof b.input === 'object' && !Array.isArray(b.input) ? (b.input as Record<string, unknown>) : undefined;
          parts.push({ type: 'tool-call', id: String(b.id), name: String(b.name), args, rawArgs: JSON.stringify(b.input ?? null) });
        }
      }
      h.assistantMessage(parts);
    } else {
      for (const b of blocks) {
        if (b.type === 'tool_result') h.result(String(b.tool_use_id), textOf(b.content), b.is_error === true);
      }
      const text = blocks.filter((b) => b.type === 'text').map((b) => String(b.text)).join('');
      if (text !== '') h.user(text);
    }
  }
  const tools: ToolDefinition[] = ((body.tools ?? []) as Json[]).map((t) => ({
    name: String(t.name),
    description: String(t.description ?? ''),
    parameters: (t.input_schema ?? {}) as ToolDefinition['parameters'],
  }));
  const choice = body.tool_choice as Json | undefined;
  const toolChoice = choice?.type === 'any' ? 'required' : choice?.type;
  return { system, messages: h.messages, tools, options: options(choice?.disable_parallel_tool_use === true ? false : true, toolChoice) };
}
