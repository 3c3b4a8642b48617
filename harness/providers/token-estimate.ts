import { countO200k } from './o200k.js';
import {
  chatAssistant,
  chatBodyTokens,
  chatMessageChars,
  chatMessages,
  chatMessageTokens,
  REPLY_PRIMING,
  renderToolsNamespace,
  toolBlockTokens,
} from './openai-chat-rendering.js';
import { cachedCounter, TokenCountCache } from './token-cache.js';
import type { AssistantPart, Message, ModelRequest, ToolDefinition } from './types.js';

/**
 * Token estimates with a real BPE tokenizer (o200k_base, the GPT-4o family's), counting the
 * request as OpenAI's Chat Completions renders it (openai-chat-rendering.ts). Used by reference
 * policies, and to fill in usage a provider did not report; every such count is flagged
 * `estimated` in the run file.
 *
 * input  = [3 + tokens("system") + tokens(system prompt)]            when there is a system prompt
 *          + Σ over chat messages (each tool result its own):
 *              3 + tokens(role) + tokens(content) + Σ calls (3 + tokens(name) + tokens(arguments))
 *          + tokens(`namespace functions` block) + 9 − (4 with a system prompt)   when tools are offered
 *          + 3 (the reply's priming)
 * output = tokens(reply text) + Σ calls (3 + tokens(name) + tokens(arguments)):
 *          the reply as the same recipe counts it in the next request, less its framing and role.
 */
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

/** Tokens of one harness message in the prompt (a turn's tool results are a message each). */
export function messageTokens(message: Message, count: (text: string) => number = countText): number {
  return chatMessages(message).reduce((n, m) => n + chatMessageTokens(m, count), 0);
}

export function estimateInputTokens(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  const hasSystem = request.system !== '';
  let total = REPLY_PRIMING + (hasSystem ? chatMessageTokens({ role: 'system', content: request.system }, countText) : 0);
  for (const m of request.messages) total += cached(messageCache, m, () => messageTokens(m));
  if (request.tools.length > 0) {
    total += toolBlockTokens(request.tools, cached(toolsCache, request.tools, () => countText(renderToolsNamespace(request.tools))), hasSystem);
  }
  return total;
}

export function estimateOutputTokens(parts: readonly AssistantPart[]): number {
  return chatBodyTokens(chatAssistant(parts), countText);
}

/**
 * Characters of the request as rendered for counting (a size measure independent of any tokenizer):
 * the system prompt, every message's content, tool calls' names and arguments, and the tool block.
 */
export function requestChars(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  let total = request.system.length;
  for (const m of request.messages) total += cached(messageChars, m, () => chatMessages(m).reduce((n, c) => n + chatMessageChars(c), 0));
  return total + (request.tools.length === 0 ? 0 : cached(toolsChars, request.tools, () => renderToolsNamespace(request.tools).length));
}
