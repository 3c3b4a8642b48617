import type OpenAI from 'openai';
import { lazySend, modelHandle, type WireCodec, type WireSend } from './model-provider.js';
import { openaiClient } from './openai-chat.js';
import { ProviderResponseError } from './provider-errors.js';
import { shapeOf } from './response-body.js';
import type { ProviderFactory } from './registry.js';
import type { SenderContext } from './sdk-errors.js';
import { sdkSender } from './sdk-sender.js';
import { parseToolArgs } from './tool-args.js';
import type { AssistantPart, FinishReason, ModelRequest, ModelResponse } from './types.js';
import { responsesUsage } from './usage.js';

/**
 * `openai-responses:<model>`: the Responses API through the official SDK,
 * stateless (`store: false`, the whole history sent as input items).
 */

export type ResponsesBody = OpenAI.Responses.ResponseCreateParamsNonStreaming;
type InputItem = OpenAI.Responses.ResponseInputItem;

export interface ResponsesSettings {
  model: string;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
}

export function toResponsesInput(request: Pick<ModelRequest, 'messages'>): InputItem[] {
  const out: InputItem[] = [];
  for (const m of request.messages) {
    switch (m.role) {
      case 'user':
        out.push({ type: 'message', role: 'user', content: m.content });
        break;
      case 'assistant':
        for (const p of m.parts) {
          if (p.type === 'text') {
            if (p.text !== '') out.push({ type: 'message', role: 'assistant', content: p.text });
          } else {
            out.push({ type: 'function_call', call_id: p.id, name: p.name, arguments: p.rawArgs });
          }
        }
        break;
      case 'tool':
        for (const r of m.results) out.push({ type: 'function_call_output', call_id: r.callId, output: r.content });
        break;
    }
  }
  return out;
}

export function encodeResponses(request: ModelRequest, settings: ResponsesSettings): ResponsesBody {
  const hasTools = request.tools.length > 0;
  return {
    model: settings.model,
    ...(request.system !== '' ? { instructions: request.system } : {}),
    input: toResponsesInput(request),
    store: false,
    ...(hasTools
      ? {
          tools: request.tools.map((t) => ({ type: 'function' as const, name: t.name, description: t.description, parameters: { ...t.parameters }, strict: false })),
          ...(request.options.toolChoice ? { tool_choice: request.options.toolChoice } : {}),
          ...(request.options.parallelToolCalls ? {} : { parallel_tool_calls: false }),
        }
      : {}),
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.maxTokens !== undefined ? { max_output_tokens: settings.maxTokens } : {}),
  };
}

export function decodeResponses(body: unknown): ModelResponse {
  const response = body as Partial<OpenAI.Responses.Response> | null;
  if (!response || !Array.isArray(response.output)) throw new ProviderResponseError(`the body has no output array (${shapeOf(body)})`);
  const parts: AssistantPart[] = [];
  for (const item of response.output) {
    if (item.type === 'message') {
      const text = item.content.map((c) => (c.type === 'output_text' ? c.text : c.refusal)).join('');
      if (text !== '') parts.push({ type: 'text', text });
    } else if (item.type === 'function_call') {
      parts.push({ type: 'tool-call', id: item.call_id, name: item.name, args: parseToolArgs(item.arguments), rawArgs: item.arguments });
    }
  }
  return { parts, finishReason: responsesFinish(response, parts), usage: responsesUsage(response.usage) };
}

function responsesFinish(response: Partial<OpenAI.Responses.Response>, parts: AssistantPart[]): FinishReason {
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content-filter' : 'other';
  }
  if (response.status === 'failed') return 'error';
  return parts.some((p) => p.type === 'tool-call') ? 'tool-calls' : 'stop';
}

export const responsesCodec = (settings: ResponsesSettings): WireCodec<ResponsesBody> => ({
  api: 'openai-responses',
  encode: (request) => encodeResponses(request, settings),
  decode: decodeResponses,
});

/** A sender around an injected client (build it with `maxRetries: 0`). */
export function responsesSender(client: OpenAI, sdk: typeof OpenAI, ctx: SenderContext): WireSend<ResponsesBody> {
  return sdkSender<ResponsesBody>((b, opts) => client.responses.create(b, opts), sdk, ctx);
}

export const openaiResponsesFactory: ProviderFactory = (model, options) => {
  const id = `openai-responses:${model}`;
  return modelHandle(
    {
      id,
      codec: responsesCodec({ model, temperature: options.temperature, maxTokens: options.maxTokens }),
      defaultKeyEnv: 'OPENAI_API_KEY',
      connect: (apiKey, timeoutMs, ctx) =>
        lazySend(async () => {
          const { client, sdk } = await openaiClient(options, apiKey, timeoutMs);
          return responsesSender(client, sdk, ctx);
        }),
    },
    options,
  );
};
