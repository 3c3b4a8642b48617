import { chatBodyTokens, chatMessageTokens, REPLY_PRIMING, renderToolsNamespace, toolBlockTokens, type ChatMessage } from '../../providers/openai-chat-rendering.js';
import { countText } from '../../providers/token-estimate.js';
import type { TraceCall, TraceMessage, TraceUsage } from './trace-call.js';

function chatMessage(m: TraceMessage): ChatMessage {
  return m.role === 'assistant' ? { role: 'assistant', content: m.text, toolCalls: m.toolCalls } : { role: m.role, content: m.text };
}

/**
 * Usage for a call whose trace records none, counted with the o200k_base tokenizer over the
 * request as OpenAI's Chat Completions renders it (harness/providers/openai-chat-rendering.ts,
 * as for the reference policies) and flagged `estimated`.
 */
export function estimateUsage(call: Pick<TraceCall, 'messages' | 'tools' | 'reply'>): TraceUsage {
  let input = REPLY_PRIMING;
  for (const m of call.messages) input += chatMessageTokens(chatMessage(m), countText);
  if (call.tools.length > 0) input += toolBlockTokens(call.tools, countText(renderToolsNamespace(call.tools)), call.messages.some((m) => m.role === 'system'));
  const output = chatBodyTokens({ role: 'assistant', content: call.reply.text, toolCalls: call.reply.toolCalls }, countText);
  return { inputTokens: input, outputTokens: output, cachedInputTokens: 0, estimated: true };
}
