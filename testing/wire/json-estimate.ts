import { countO200k } from '../../harness/providers/o200k.js';
import type { AssistantPart, Message, ModelRequest } from '../../harness/providers/types.js';
import type { RequestParts } from './openai-wire-count.js';

/**
 * The estimator the harness used before it counted the Chat Completions rendering, kept to
 * measure how far its figures were from the recipe (measure-token-error.ts): o200k_base over a
 * JSON rendering of the request, the system prompt, each message as JSON (all tool results of a
 * turn in one), the tool definitions as JSON, 3 tokens per message (the system prompt's included,
 * even when empty) and 3 for the reply; a reply as JSON with its text and calls.
 */
const PER_MESSAGE = 3;

function renderAssistant(parts: readonly AssistantPart[]): string {
  return JSON.stringify({
    role: 'assistant',
    content: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('') || null,
    tool_calls: parts.flatMap((p) => (p.type === 'tool-call' ? [{ id: p.id, name: p.name, arguments: p.rawArgs }] : [])),
  });
}

function renderMessage(message: Message): string {
  switch (message.role) {
    case 'user':
      return JSON.stringify({ role: 'user', content: message.content });
    case 'assistant':
      return renderAssistant(message.parts);
    case 'tool':
      return JSON.stringify(message.results.map((r) => ({ role: 'tool', tool_call_id: r.callId, content: r.content })));
  }
}

/** Input tokens of a request by part, as the JSON-rendering estimator counted them. */
export function jsonParts(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): RequestParts {
  const r: RequestParts = { system: countO200k(request.system) + PER_MESSAGE, messages: 0, toolResults: 0, tools: 0, reply: 3 };
  for (const m of request.messages) r[m.role === 'tool' ? 'toolResults' : 'messages'] += countO200k(renderMessage(m)) + PER_MESSAGE;
  if (request.tools.length > 0) r.tools = countO200k(JSON.stringify(request.tools));
  return r;
}

/** Output tokens of a reply, as the JSON-rendering estimator counted them. */
export function jsonOutputTokens(parts: readonly AssistantPart[]): number {
  return countO200k(renderAssistant(parts));
}
