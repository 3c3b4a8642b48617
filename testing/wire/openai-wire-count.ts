import { countO200k } from '../../harness/providers/o200k.js';
import { chatMessages, chatMessageTokens, REPLY_PRIMING, renderToolsNamespace, toolBlockTokens } from '../../harness/providers/openai-chat-rendering.js';
import type { JsonSchema, Message, ModelRequest, ToolDefinition } from '../../harness/providers/types.js';

/**
 * The reference counts the token estimator is measured against (measure-token-error.ts), by part
 * of the request, never used in runs and never cached: the tokenizer runs on every text.
 *
 * - `wireParts`: OpenAI's published counting recipe with the community reconstruction of the
 *   tool rendering (harness/providers/openai-chat-rendering.ts). The harness estimator follows the
 *   same recipe, so the two agree by construction; comparing them checks the estimator's caches
 *   and message splitting, not its accuracy against OpenAI's servers.
 * - `cookbookToolTokens`: a second published recipe for the tool definitions alone, the cookbook's
 *   per-field count for gpt-4o (`num_tokens_for_tools`: 7 per function + "name:description",
 *   3 + 3 per property + "name:type:description", enum items 3 each less 3, 12 at the end).
 *   It renders nothing and ignores nested schemas, so the two recipes disagree on larger tools.
 */
export interface RequestParts {
  /** The system message (framing, role, prompt); 0 without one. */
  system: number;
  /** User and assistant messages. */
  messages: number;
  /** Tool results. */
  toolResults: number;
  /** Tool definitions. */
  tools: number;
  /** The reply's priming. */
  reply: number;
}

export const PART_NAMES: Record<keyof RequestParts, string> = {
  system: 'system prompt',
  messages: 'user and assistant messages',
  toolResults: 'tool results',
  tools: 'tool definitions',
  reply: 'reply priming',
};

export function totalOf(parts: RequestParts): number {
  return parts.system + parts.messages + parts.toolResults + parts.tools + parts.reply;
}

const byRole = (messages: readonly Message[], count: (m: Message) => number): Pick<RequestParts, 'messages' | 'toolResults'> => {
  const r = { messages: 0, toolResults: 0 };
  for (const m of messages) r[m.role === 'tool' ? 'toolResults' : 'messages'] += count(m);
  return r;
};

/** Input tokens of a request by part, as the Chat Completions recipe counts them. */
export function wireParts(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): RequestParts {
  const hasSystem = request.system !== '';
  return {
    system: hasSystem ? chatMessageTokens({ role: 'system', content: request.system }, countO200k) : 0,
    ...byRole(request.messages, (m) => chatMessages(m).reduce((n, c) => n + chatMessageTokens(c, countO200k), 0)),
    tools: toolBlockTokens(request.tools, request.tools.length === 0 ? 0 : countO200k(renderToolsNamespace(request.tools)), hasSystem),
    reply: REPLY_PRIMING,
  };
}

export function wireInputTokens(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  return totalOf(wireParts(request));
}

/** The cookbook's count of tool definitions for gpt-4o (0 without tools). */
export function cookbookToolTokens(tools: readonly ToolDefinition[]): number {
  if (tools.length === 0) return 0;
  const strip = (s: unknown): string => (typeof s === 'string' ? s.replace(/\.$/, '') : '');
  let n = 12;
  for (const t of tools) {
    n += 7 + countO200k(`${t.name}:${strip(t.description)}`);
    const props = Object.entries((t.parameters['properties'] ?? {}) as Record<string, JsonSchema>);
    if (props.length > 0) n += 3;
    for (const [name, p] of props) {
      n += 3;
      const e = p['enum'];
      if (Array.isArray(e)) n += -3 + e.reduce((k: number, v) => k + 3 + countO200k(String(v)), 0);
      n += countO200k(`${name}:${typeof p['type'] === 'string' ? p['type'] : ''}:${strip(p['description'])}`);
    }
  }
  return n;
}
