import { countText } from '../../providers/token-estimate.js';
import type { TraceCall, TraceUsage } from './trace-call.js';

/**
 * Usage for a call whose trace records none, counted with the o200k_base
 * tokenizer (3 tokens of framing per message and 3 for the reply, as for the
 * reference policies) and flagged `estimated`.
 */
export function estimateUsage(call: Pick<TraceCall, 'messages' | 'tools' | 'reply'>): TraceUsage {
  let input = 3;
  for (const m of call.messages) input += countText(JSON.stringify(m)) + 3;
  if (call.tools.length > 0) input += countText(JSON.stringify(call.tools));
  const output = countText(JSON.stringify({ text: call.reply.text, tool_calls: call.reply.toolCalls.map((c) => ({ name: c.name, arguments: c.rawArgs })) }));
  return { inputTokens: input, outputTokens: output, cachedInputTokens: 0, estimated: true };
}
