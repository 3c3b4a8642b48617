import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { JsonSchema, Message, ModelRequest, ToolDefinition } from '../../harness/providers/types.js';

/**
 * A token count of a request as OpenAI's Chat Completions renders it on the
 * model's side, for measuring the estimator (measure-token-error.ts), not used
 * in runs. It follows the published counting recipe and the community's
 * reconstruction of the tool rendering, both unofficial:
 *
 * - each message costs 3 tokens of framing + its role + its content; each tool
 *   result is a message of its own (role `tool`), as on the wire;
 * - an assistant's tool calls count their names and argument strings, plus 3
 *   per call;
 * - tool definitions are rendered as a TypeScript-like `namespace functions`
 *   block in the system message (descriptions as `//` comments, parameters as
 *   a typed object), plus 9 tokens, less 4 when there is a system message;
 * - 3 tokens prime the reply.
 */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

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
      const desc = typeof p['description'] === 'string' ? `${indent}// ${p['description']}\n` : '';
      return `${desc}${indent}${name}${required.has(name) ? '' : '?'}: ${tsType(p, indent)},\n`;
    })
    .join('');
}

/** The `namespace functions` block OpenAI's models see for a list of tools. */
export function renderToolsNamespace(tools: readonly ToolDefinition[]): string {
  const fns = tools.map((t) => {
    const params = Object.keys((t.parameters['properties'] ?? {}) as object).length > 0 ? `_: {\n${objectBody(t.parameters, '')}}` : '';
    return `// ${t.description}\ntype ${t.name} = (${params}) => any;\n`;
  });
  return `namespace functions {\n\n${fns.join('\n')}\n} // namespace functions`;
}

/** Tokens of the tool definitions as rendered on the model's side. */
export function wireToolTokens(tools: readonly ToolDefinition[], hasSystem: boolean): number {
  return tools.length === 0 ? 0 : countTokens(renderToolsNamespace(tools)) + 9 - (hasSystem ? 4 : 0);
}

function messageTokens(m: Message): number {
  switch (m.role) {
    case 'user':
      return PER_MESSAGE + countTokens('user') + countTokens(m.content);
    case 'assistant': {
      const text = m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
      const calls = m.parts.flatMap((p) => (p.type === 'tool-call' ? [p] : []));
      return PER_MESSAGE + countTokens('assistant') + countTokens(text) + calls.reduce((n, c) => n + PER_MESSAGE + countTokens(c.name) + countTokens(c.rawArgs), 0);
    }
    case 'tool':
      return m.results.reduce((n, r) => n + PER_MESSAGE + countTokens('tool') + countTokens(r.content), 0);
  }
}

/** Input tokens of a request, rendered as described above. */
export function wireInputTokens(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  const system = request.system === '' ? 0 : PER_MESSAGE + countTokens('system') + countTokens(request.system);
  return system + request.messages.reduce((n, m) => n + messageTokens(m), 0) + wireToolTokens(request.tools, request.system !== '') + REPLY_PRIMING;
}
