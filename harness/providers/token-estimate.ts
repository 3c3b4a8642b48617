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
  type ChatMessage,
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
// The history is re-sent every turn, but each message is rendered (and counted) once.
const messageChars = new WeakMap<object, number>();

function cached<K extends object>(cache: WeakMap<K, number>, key: K, count: () => number): number {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const n = count();
  cache.set(key, n);
  return n;
}

/** A figure summed over a history, kept by the history's first message. */
interface HistorySum {
  /** The messages summed (a copy: the caller's array may change). */
  messages: readonly Message[];
  total: number;
}
const tokenSums = new WeakMap<Message, HistorySum>();
const charSums = new WeakMap<Message, HistorySum>();

/**
 * `figure` summed over `messages`. A session's next request re-sends its history and adds a few
 * messages: when `messages` starts with the messages summed last for the same first message, only
 * the new ones are added to that sum.
 */
function historySum(messages: readonly Message[], sums: WeakMap<Message, HistorySum>, figure: (m: Message) => number): number {
  const first = messages[0];
  if (first === undefined) return 0;
  const last = sums.get(first);
  let from = 0;
  let total = 0;
  if (last !== undefined && last.messages.length <= messages.length && last.messages.every((m, i) => m === messages[i])) {
    from = last.messages.length;
    total = last.total;
  }
  for (let i = from; i < messages.length; i += 1) total += figure(messages[i] as Message);
  sums.set(first, { messages: messages.slice(), total });
  return total;
}

/** A list of tool definitions as the model sees it: the rendered block, and its tokens once counted. */
interface ToolsBlock {
  text: string;
  tokens?: number;
}

/** One node of a trie over tool definitions (by identity): the block of the list that ends here. */
interface ToolsNode {
  block?: ToolsBlock;
  next: WeakMap<ToolDefinition, ToolsNode>;
}

const toolsRoot: ToolsNode = { next: new WeakMap() };
const toolsByList = new WeakMap<readonly ToolDefinition[], ToolsBlock>();

/**
 * The rendered block of a tool list. Every session builds its own list of the scenario's definitions,
 * so blocks are kept by the definitions themselves: each distinct list is rendered once per process.
 */
function toolsBlock(tools: readonly ToolDefinition[]): ToolsBlock {
  const known = toolsByList.get(tools);
  if (known !== undefined) return known;
  let node = toolsRoot;
  for (const t of tools) {
    let child = node.next.get(t);
    if (child === undefined) node.next.set(t, (child = { next: new WeakMap() }));
    node = child;
  }
  const block = (node.block ??= { text: renderToolsNamespace(tools) });
  toolsByList.set(tools, block);
  return block;
}

/** Token counts by exact text, shared by every session of the process (harness/providers/token-cache.ts). */
export const tokenCountCache = new TokenCountCache();

const cachedCount = cachedCounter(countO200k, tokenCountCache);

/** Tokens of `text`; each distinct text is tokenized once per process (bounded cache). The empty text (a reply with only calls, a call without arguments' text) is none. */
export const countText = (text: string): number => (text === '' ? 0 : cachedCount(text));

const assistantChats = new WeakMap<readonly AssistantPart[], ChatMessage>();

/** A reply as a chat message, rendered once: for its output estimate, then in every later request. */
function assistantChat(parts: readonly AssistantPart[]): ChatMessage {
  let chat = assistantChats.get(parts);
  if (chat === undefined) assistantChats.set(parts, (chat = chatAssistant(parts)));
  return chat;
}

function rendered(message: Message): ChatMessage[] {
  return message.role === 'assistant' ? [assistantChat(message.parts)] : chatMessages(message);
}

/** Tokens of one harness message in the prompt (a turn's tool results are a message each). */
export function messageTokens(message: Message, count: (text: string) => number = countText): number {
  return rendered(message).reduce((n, m) => n + chatMessageTokens(m, count), 0);
}

export function estimateInputTokens(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  const hasSystem = request.system !== '';
  let total = REPLY_PRIMING + (hasSystem ? chatMessageTokens({ role: 'system', content: request.system }, countText) : 0);
  total += historySum(request.messages, tokenSums, (m) => cached(messageCache, m, () => messageTokens(m)));
  if (request.tools.length > 0) {
    const block = toolsBlock(request.tools);
    total += toolBlockTokens(request.tools, (block.tokens ??= countText(block.text)), hasSystem);
  }
  return total;
}

export function estimateOutputTokens(parts: readonly AssistantPart[]): number {
  return chatBodyTokens(assistantChat(parts), countText);
}

/**
 * Characters of the request as rendered for counting (a size measure independent of any tokenizer):
 * the system prompt, every message's content, tool calls' names and arguments, and the tool block.
 */
export function requestChars(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  let total = request.system.length;
  total += historySum(request.messages, charSums, (m) => cached(messageChars, m, () => rendered(m).reduce((n, c) => n + chatMessageChars(c), 0)));
  return total + (request.tools.length === 0 ? 0 : toolsBlock(request.tools).text.length);
}
