import type OpenAI from 'openai';
import { ProviderResponseError } from './provider-errors.js';
import { shapeOf } from './response-body.js';
import type { ProviderFactory, ProviderOptions } from './registry.js';
import type { SenderContext } from './sdk-errors.js';
import { sdkSender } from './sdk-sender.js';
import { parseToolArgs } from './tool-args.js';
import type { AssistantPart, FinishReason, ModelRequest, ModelResponse } from './types.js';
import { chatUsage } from './usage.js';
import { lazySend, modelHandle, type WireCodec, type WireSend } from './model-provider.js';

/** `openai:<model>`: Chat Completions through the official SDK; also any OpenAI-compatible server by base URL. */

export type ChatBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export interface ChatSettings {
  model: string;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  /**
   * `max_completion_tokens` (OpenAI's current name; reasoning models reject the
   * old one) or `max_tokens` (what OpenAI-compatible servers accept everywhere).
   */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
}

export function toChatMessages(request: Pick<ModelRequest, 'system' | 'messages'>): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (request.system !== '') out.push({ role: 'system', content: request.system });
  for (const m of request.messages) {
    switch (m.role) {
      case 'user':
        out.push({ role: 'user', content: m.content });
        break;
      case 'assistant': {
        const text = m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
        const calls = m.parts.flatMap((p) =>
          p.type === 'tool-call' ? [{ id: p.id, type: 'function' as const, function: { name: p.name, arguments: p.rawArgs } }] : [],
        );
        out.push({ role: 'assistant', content: text === '' && calls.length > 0 ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
        break;
      }
      case 'tool':
        for (const r of m.results) out.push({ role: 'tool', tool_call_id: r.callId, content: r.content });
        break;
    }
  }
  return out;
}

export function encodeChat(request: ModelRequest, settings: ChatSettings): ChatBody {
  const hasTools = request.tools.length > 0;
  return {
    model: settings.model,
    messages: toChatMessages(request),
    ...(hasTools
      ? {
          tools: request.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: { ...t.parameters } } })),
          ...(request.options.toolChoice ? { tool_choice: request.options.toolChoice } : {}),
          ...(request.options.parallelToolCalls ? {} : { parallel_tool_calls: false }),
        }
      : {}),
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.maxTokens !== undefined ? { [settings.maxTokensField]: settings.maxTokens } : {}),
  };
}

const FINISH: Record<string, FinishReason> = {
  stop: 'stop',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  length: 'length',
  content_filter: 'content-filter',
};

export function decodeChat(body: unknown): ModelResponse {
  const completion = body as Partial<OpenAI.Chat.Completions.ChatCompletion> | null;
  const choice = completion?.choices?.[0];
  if (!choice?.message) throw new ProviderResponseError(`the body has no choices[0].message (${shapeOf(body)})`);
  const parts: AssistantPart[] = [];
  const { message } = choice;
  const text = message.content ?? message.refusal ?? '';
  if (text !== '') parts.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    const rawArgs = call.function.arguments ?? '';
    parts.push({ type: 'tool-call', id: call.id, name: call.function.name, args: parseToolArgs(rawArgs), rawArgs });
  }
  const hasCalls = parts.some((p) => p.type === 'tool-call');
  // Some OpenAI-compatible servers say `stop` next to tool calls.
  let finishReason = FINISH[choice.finish_reason ?? ''] ?? 'other';
  if (finishReason === 'stop' && hasCalls) finishReason = 'tool-calls';
  return { parts, finishReason, usage: chatUsage(completion?.usage) };
}

export const chatCodec = (settings: ChatSettings): WireCodec<ChatBody> => ({
  api: 'openai-chat',
  encode: (request) => encodeChat(request, settings),
  decode: decodeChat,
});

/** A sender around an injected client (build it with `maxRetries: 0`). */
export function chatSender(client: OpenAI, sdk: typeof OpenAI, ctx: SenderContext): WireSend<ChatBody> {
  return sdkSender<ChatBody>((b, opts) => client.chat.completions.create(b, opts), sdk, ctx);
}

/** The SDK client batchbench builds (the SDK loaded on first use): its own retries off (ours count them), the per-request timeout set. */
export async function openaiClient(options: ProviderOptions, apiKey: string, timeoutMs: number): Promise<{ client: OpenAI; sdk: typeof OpenAI }> {
  const { default: sdk } = await import('openai');
  return { client: new sdk({ apiKey, maxRetries: 0, timeout: timeoutMs, ...(options.baseUrl !== undefined ? { baseURL: options.baseUrl } : {}) }), sdk };
}

export const openaiChatFactory: ProviderFactory = (model, options) => {
  const id = `openai:${model}`;
  return modelHandle(
    {
      id,
      codec: chatCodec({
        model,
        temperature: options.temperature,
        maxTokens: options.maxTokens,
        maxTokensField: options.baseUrl === undefined ? 'max_completion_tokens' : 'max_tokens',
      }),
      defaultKeyEnv: 'OPENAI_API_KEY',
      connect: (apiKey, timeoutMs, ctx) =>
        lazySend(async () => {
          const { client, sdk } = await openaiClient(options, apiKey, timeoutMs);
          return chatSender(client, sdk, ctx);
        }),
    },
    options,
  );
};
