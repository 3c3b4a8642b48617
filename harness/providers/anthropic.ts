import type Anthropic from '@anthropic-ai/sdk';
import { lazySend, modelHandle, type WireCodec, type WireSend } from './model-provider.js';
import { ProviderResponseError } from './provider-errors.js';
import { shapeOf } from './response-body.js';
import type { ProviderFactory, ProviderOptions } from './registry.js';
import type { SenderContext } from './sdk-errors.js';
import { sdkSender } from './sdk-sender.js';
import { objectArgs, parseToolArgs } from './tool-args.js';
import type { AssistantPart, FinishReason, ModelRequest, ModelResponse } from './types.js';
import { anthropicUsage } from './usage.js';

/** `anthropic:<model>`: the Messages API through the official SDK. */

export type MessagesBody = Anthropic.Messages.MessageCreateParamsNonStreaming;
type WireMessage = Anthropic.Messages.MessageParam;
type Block = Anthropic.Messages.ContentBlockParam;

/** The Messages API requires `max_tokens`; used when the config gives none. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

export interface MessagesSettings {
  model: string;
  maxTokens: number;
  temperature?: number | undefined;
}

/**
 * The history as Messages: tool results of one turn go into one user message as
 * `tool_result` blocks; consecutive user content is merged so roles alternate.
 */
export function toAnthropicMessages(request: Pick<ModelRequest, 'messages'>): WireMessage[] {
  const out: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]): void => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of request.messages) {
    switch (m.role) {
      case 'user':
        push('user', [{ type: 'text', text: m.content }]);
        break;
      case 'assistant': {
        const blocks: Block[] = m.parts.flatMap((p): Block[] => {
          if (p.type === 'text') return p.text === '' ? [] : [{ type: 'text', text: p.text }];
          return [{ type: 'tool_use', id: p.id, name: p.name, input: p.args ?? parseToolArgs(p.rawArgs) ?? {} }];
        });
        push('assistant', blocks.length > 0 ? blocks : [{ type: 'text', text: '(no content)' }]);
        break;
      }
      case 'tool':
        push(
          'user',
          m.results.map((r) => ({ type: 'tool_result' as const, tool_use_id: r.callId, content: r.content, ...(r.isError ? { is_error: true } : {}) })),
        );
        break;
    }
  }
  // A single text block is sent as a plain string, the API's simplest form.
  return out.map((m) => {
    const only = m.content.length === 1 ? m.content[0] : undefined;
    return only?.type === 'text' ? { role: m.role, content: only.text } : m;
  });
}

export function anthropicToolChoice(options: ModelRequest['options']): Anthropic.Messages.ToolChoice | undefined {
  const noParallel = options.parallelToolCalls ? {} : { disable_parallel_tool_use: true };
  switch (options.toolChoice) {
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'auto':
      return { type: 'auto', ...noParallel };
    case undefined:
      return options.parallelToolCalls ? undefined : { type: 'auto', disable_parallel_tool_use: true };
  }
}

export function encodeAnthropic(request: ModelRequest, settings: MessagesSettings): MessagesBody {
  const toolChoice = request.tools.length > 0 ? anthropicToolChoice(request.options) : undefined;
  return {
    model: settings.model,
    max_tokens: settings.maxTokens,
    ...(request.system !== '' ? { system: request.system } : {}),
    messages: toAnthropicMessages(request),
    ...(request.tools.length > 0
      ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: { ...t.parameters, type: 'object' as const } })) }
      : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
  };
}

const STOP: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool-calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content-filter',
};

export function decodeAnthropic(body: unknown): ModelResponse {
  const message = body as Partial<Anthropic.Messages.Message> | null;
  if (!message || !Array.isArray(message.content)) throw new ProviderResponseError(`the body has no content array (${shapeOf(body)})`);
  const parts: AssistantPart[] = [];
  for (const block of message.content) {
    if (block.type === 'text') {
      if (block.text !== '') parts.push({ type: 'text', text: block.text });
    } else if (block.type === 'tool_use') {
      parts.push({ type: 'tool-call', id: block.id, name: block.name, args: objectArgs(block.input), rawArgs: JSON.stringify(block.input ?? null) });
    }
  }
  return { parts, finishReason: STOP[message.stop_reason ?? ''] ?? 'other', usage: anthropicUsage(message.usage) };
}

export const anthropicCodec = (settings: MessagesSettings): WireCodec<MessagesBody> => ({
  api: 'anthropic-messages',
  encode: (request) => encodeAnthropic(request, settings),
  decode: decodeAnthropic,
});

/** A sender around an injected client (build it with `maxRetries: 0`). */
export function anthropicSender(client: Anthropic, sdk: typeof Anthropic, ctx: SenderContext): WireSend<MessagesBody> {
  return sdkSender<MessagesBody>((b, opts) => client.messages.create(b, opts), sdk, ctx);
}

/** The SDK client batchbench builds (the SDK loaded on first use): its own retries off (ours count them), the per-request timeout set. */
export async function anthropicClient(options: ProviderOptions, apiKey: string, timeoutMs: number): Promise<{ client: Anthropic; sdk: typeof Anthropic }> {
  const { default: sdk } = await import('@anthropic-ai/sdk');
  return { client: new sdk({ apiKey, maxRetries: 0, timeout: timeoutMs, ...(options.baseUrl !== undefined ? { baseURL: options.baseUrl } : {}) }), sdk };
}

export const anthropicFactory: ProviderFactory = (model, options) => {
  const id = `anthropic:${model}`;
  return modelHandle(
    {
      id,
      codec: anthropicCodec({ model, maxTokens: options.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS, temperature: options.temperature }),
      defaultKeyEnv: 'ANTHROPIC_API_KEY',
      connect: (apiKey, timeoutMs, ctx) =>
        lazySend(async () => {
          const { client, sdk } = await anthropicClient(options, apiKey, timeoutMs);
          return anthropicSender(client, sdk, ctx);
        }),
    },
    options,
  );
};
