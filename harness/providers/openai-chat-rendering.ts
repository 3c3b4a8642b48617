import type { AssistantPart, JsonSchema, Message, ToolDefinition } from './types.js';

/**
 * A request as OpenAI's Chat Completions renders it for the model, reduced to what its tokens
 * are counted from. It follows OpenAI's published counting recipe (the cookbook's "How to count
 * tokens with tiktoken") and the community's reconstruction of the tool rendering
 * (openai-chat-tokens), both unofficial:
 *
 * - each message costs 3 tokens of framing + its role + its content; each tool result is a
 *   message of its own (role `tool`), as on the wire;
 * - an assistant's tool calls count their names and argument strings, plus 3 per call;
 * - tool definitions are rendered as a TypeScript-like `namespace functions` block
 *   (descriptions as `//` comments, parameters as a typed object), plus 9 tokens, less 4
 *   when there is a system message (the block then shares it);
 * - 3 tokens prime the reply.
 *
 * The reconstruction also pads the system message with a newline when tools are present,
 * found on the cl100k models; it is left out here (it changes nothing on the cookbook's gpt-4o
 * example and at most one token per request).
 */
export const PER_MESSAGE = 3;
export const PER_TOOL_CALL = 3;
export const REPLY_PRIMING = 3;
/** Tokens the tool block adds beyond its text, and those it saves when it shares a system message. */
export const TOOLS_FRAMING = 9;
export const TOOLS_SHARED_SYSTEM = 4;

/** One message as the chat format carries it. */
export type ChatMessage =
  | { role: 'system' | 'user' | 'tool'; content: string }
  | { role: 'assistant'; content: string; toolCalls: readonly { name: string; rawArgs: string }[] };

/** An assistant's parts as one chat message: its text joined, its tool calls in order. */
export function chatAssistant(parts: readonly AssistantPart[]): ChatMessage {
  let content = '';
  const toolCalls: { name: string; rawArgs: string }[] = [];
  for (const p of parts) {
    if (p.type === 'text') content += p.text;
    else if (p.type === 'tool-call') toolCalls.push({ name: p.name, rawArgs: p.rawArgs });
  }
  return { role: 'assistant', content, toolCalls };
}

/** A harness message as chat messages: a turn's tool results are one message each. */
export function chatMessages(message: Message): ChatMessage[] {
  switch (message.role) {
    case 'user':
      return [{ role: 'user', content: message.content }];
    case 'assistant':
      return [chatAssistant(message.parts)];
    case 'tool':
      return message.results.map((r) => ({ role: 'tool', content: r.content }));
  }
}

/** Tokens of a message's body: its content, and for an assistant each call's name and arguments plus 3. */
export function chatBodyTokens(message: ChatMessage, count: (text: string) => number): number {
  let n = count(message.content);
  if (message.role === 'assistant') for (const c of message.toolCalls) n += PER_TOOL_CALL + count(c.name) + count(c.rawArgs);
  return n;
}

/** Tokens of a message in the prompt: framing, role and body. */
export function chatMessageTokens(message: ChatMessage, count: (text: string) => number): number {
  return PER_MESSAGE + count(message.role) + chatBodyTokens(message, count);
}

/** Characters of the texts a message's tokens are counted from (content, call names and arguments). */
export function chatMessageChars(message: ChatMessage): number {
  let n = message.content.length;
  if (message.role === 'assistant') for (const c of message.toolCalls) n += c.name.length + c.rawArgs.length;
  return n;
}

/** Tokens of the tool definitions given the tokens of their rendered block; 0 without tools. */
export function toolBlockTokens(tools: readonly ToolDefinition[], blockTokens: number, hasSystem: boolean): number {
  return tools.length === 0 ? 0 : blockTokens + TOOLS_FRAMING - (hasSystem ? TOOLS_SHARED_SYSTEM : 0);
}

function tsType(schema: JsonSchema | undefined, indent: string): string {
  if (!schema) return 'any';
  const e = schema['enum'];
  if (Array.isArray(e)) return e.map((v) => JSON.stringify(v)).join(' | ');
  switch (schema['type']) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `${tsType(schema['items'] as JsonSchema | undefined, indent)}[]`;
    case 'object':
      return `{\n${objectBody(schema, `${indent}  `)}${indent}}`;
    default:
      return 'any';
  }
}

function objectBody(schema: JsonSchema, indent: string): string {
  const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  return Object.entries(props)
    .map(([name, p]) => {
      const desc = typeof p['description'] === 'string' && p['description'] !== '' ? `${indent}// ${p['description']}\n` : '';
      return `${desc}${indent}${name}${required.has(name) ? '' : '?'}: ${tsType(p, indent)},\n`;
    })
    .join('');
}

/** The `namespace functions` block OpenAI's models see for a list of tools. */
export function renderToolsNamespace(tools: readonly ToolDefinition[]): string {
  const fns = tools.map((t) => {
    const params = Object.keys((t.parameters['properties'] ?? {}) as object).length > 0 ? `_: {\n${objectBody(t.parameters, '')}}` : '';
    return `${t.description !== '' ? `// ${t.description}\n` : ''}type ${t.name} = (${params}) => any;\n`;
  });
  return `namespace functions {\n\n${fns.join('\n')}\n} // namespace functions`;
}
