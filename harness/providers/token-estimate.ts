import { countO200k } from './o200k.js';
import { cachedCounter, TokenCountCache } from './token-cache.js';
import type { AssistantPart, Message, ModelRequest, ToolDefinition } from './types.js';

/**
 * Token estimates with a real BPE tokenizer (o200k_base, the GPT-4o family's).
 * Used by reference policies, and to fill in usage a provider did not report;
 * every such count is flagged `estimated` in the run file.
 *
 * input  = tokens(system) + Σ tokens(message rendered as JSON) + tokens(tool definitions as JSON)
 *          + 3 per message + 3 (the chat format's per-message and reply framing)
 * output = tokens(assistant parts rendered as JSON)
 */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

const messageCache = new WeakMap<object, number>();
const toolsCache = new WeakMap<readonly ToolDefinition[], number>();
// The history is re-sent every turn, but each message is rendered (and counted) once.
const messageChars = new WeakMap<object, number>();
const toolsChars = new WeakMap<readonly ToolDefinition[], number>();

function cached<K extends object>(cache: WeakMap<K, number>, key: K, count: () => number): number {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const n = count();
  cache.set(key, n);
  return n;
}

/** Token counts by exact text, shared by every session of the process (harness/providers/token-cache.ts). */
export const tokenCountCache = new TokenCountCache();

/** Tokens of `text`; each distinct text is tokenized once per process (bounded cache). */
export const countText: (text: string) => number = cachedCounter(countO200k, tokenCountCache);

export function renderMessage(message: Message): string {
  switch (message.role) {
    case 'user':
      return JSON.stringify({ role: 'user', content: message.content });
    case 'assistant':
      return renderAssistant(message.parts);
    case 'tool':
      return JSON.stringify(message.results.map((r) => ({ role: 'tool', tool_call_id: r.callId, content: r.content })));
  }
}

export function renderAssistant(parts: readonly AssistantPart[]): string {
  return JSON.stringify({
    role: 'assistant',
    content: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('') || null,
    tool_calls: parts.flatMap((p) => (p.type === 'tool-call' ? [{ id: p.id, name: p.name, arguments: p.rawArgs }] : [])),
  });
}

export function estimateInputTokens(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  let total = countText(request.system) + PER_MESSAGE + REPLY_PRIMING;
  for (const m of request.messages) {
    total += cached(messageCache, m, () => countText(renderMessage(m))) + PER_MESSAGE;
  }
  if (request.tools.length > 0) {
    total += cached(toolsCache, request.tools, () => countText(JSON.stringify(request.tools)));
  }
  return total;
}

export function estimateOutputTokens(parts: readonly AssistantPart[]): number {
  return countText(renderAssistant(parts));
}

/** Characters of the request as serialised for counting (a size measure independent of any tokenizer). */
export function requestChars(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  let total = request.system.length;
  for (const m of request.messages) total += cached(messageChars, m, () => renderMessage(m).length);
  return total + cached(toolsChars, request.tools, () => JSON.stringify(request.tools).length);
}
