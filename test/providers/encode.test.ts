import { describe, expect, it } from 'vitest';
import { anthropicToolChoice, decodeAnthropic, encodeAnthropic } from '../../harness/providers/anthropic.js';
import { decodeChat, encodeChat } from '../../harness/providers/openai-chat.js';
import { decodeResponses, encodeResponses } from '../../harness/providers/openai-responses.js';
import { retryAfterFromHeaders, retryDelayMs, DEFAULT_RETRY_POLICY, withRetries } from '../../harness/providers/retry.js';
import { ProviderHttpError } from '../../harness/providers/provider-errors.js';
import { decodeWireRequest } from '../../testing/wire/wire-decode.js';
import { chatCompletion } from '../../testing/wire/wire-replies.js';
import type { ModelRequest } from '../../harness/providers/types.js';

const request: ModelRequest = {
  system: 'Be brief.',
  messages: [
    { role: 'user', content: 'Check order 42 and ticket 7.' },
    {
      role: 'assistant',
      parts: [
        { type: 'text', text: 'Looking both up.' },
        { type: 'tool-call', id: 'c1', name: 'get_order', args: { order_id: 42 }, rawArgs: '{"order_id":42}' },
        { type: 'tool-call', id: 'c2', name: 'get_ticket', args: { ticket_id: 7 }, rawArgs: '{"ticket_id":7}' },
      ],
    },
    {
      role: 'tool',
      results: [
        { type: 'tool-result', callId: 'c1', toolName: 'get_order', content: '{"owner":"ada"}', isError: false },
        { type: 'tool-result', callId: 'c2', toolName: 'get_ticket', content: 'Error: no such ticket', isError: true },
      ],
    },
  ],
  tools: [{ name: 'get_order', description: 'Order.', parameters: { type: 'object', properties: { order_id: { type: 'integer' } } } }],
  options: { parallelToolCalls: false, toolChoice: 'auto' },
  context: { scenarioId: 's', variantId: 'v', repeat: 1, turn: 2, seed: 0 },
};
const { context: _, ...normalized } = request;

describe('encoders', () => {
  it('decode back to the normalized request for all three APIs', () => {
    expect(decodeWireRequest('chat', encodeChat(request, { model: 'm', maxTokensField: 'max_tokens' }))).toEqual(normalized);
    // Responses sends the text and each call as separate items; they decode back into one assistant turn.
    expect(decodeWireRequest('responses', encodeResponses(request, { model: 'm' }))).toEqual(normalized);
    expect(decodeWireRequest('messages', encodeAnthropic(request, { model: 'm', maxTokens: 100 }))).toEqual(normalized);
  });

  it('Anthropic: both results in one user message, errors flagged, parallel off in tool_choice', () => {
    const body = encodeAnthropic(request, { model: 'm', maxTokens: 100 });
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'c1', content: '{"owner":"ada"}' },
        { type: 'tool_result', tool_use_id: 'c2', content: 'Error: no such ticket', is_error: true },
      ],
    });
    expect(body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(body.max_tokens).toBe(100);
    expect(anthropicToolChoice({ parallelToolCalls: true, toolChoice: 'required' })).toEqual({ type: 'any' });
    expect(anthropicToolChoice({ parallelToolCalls: false, toolChoice: 'none' })).toEqual({ type: 'none' });
  });

  it('OpenAI chat: max_completion_tokens for OpenAI, max_tokens for compatible servers; parallel flag only when off', () => {
    expect(encodeChat(request, { model: 'm', maxTokens: 64, maxTokensField: 'max_completion_tokens' })).toMatchObject({ max_completion_tokens: 64, parallel_tool_calls: false, tool_choice: 'auto' });
    const compat = encodeChat({ ...request, options: { parallelToolCalls: true } }, { model: 'm', maxTokens: 64, maxTokensField: 'max_tokens' });
    expect(compat).toMatchObject({ max_tokens: 64 });
    expect('parallel_tool_calls' in compat).toBe(false);
    expect(encodeResponses(request, { model: 'm' })).toMatchObject({ instructions: 'Be brief.', store: false, parallel_tool_calls: false });
  });
});

describe('decoders', () => {
  it('treat tool calls with finish_reason stop (some compatible servers) as tool calls', () => {
    const body = chatCompletion({ calls: [{ name: 'f', args: { a: 1 } }] }) as { choices: { finish_reason: string }[] };
    body.choices[0]!.finish_reason = 'stop';
    expect(decodeChat(body).finishReason).toBe('tool-calls');
  });

  it('map every stop reason', () => {
    const anth = (stop: string) => decodeAnthropic({ content: [], stop_reason: stop, usage: { input_tokens: 1, output_tokens: 1 } }).finishReason;
    expect(['end_turn', 'tool_use', 'max_tokens', 'refusal', 'pause_turn'].map(anth)).toEqual(['stop', 'tool-calls', 'length', 'content-filter', 'other']);
    const resp = (status: string, reason?: string) => decodeResponses({ output: [], status, incomplete_details: reason ? { reason } : null }).finishReason;
    expect([resp('completed'), resp('incomplete', 'max_output_tokens'), resp('incomplete', 'content_filter'), resp('failed')]).toEqual(['stop', 'length', 'content-filter', 'error']);
    expect(() => decodeChat({ choices: [] })).toThrow(/no choices\[0\]\.message \(a JSON object with keys choices\)/);
  });
});

describe('retry timing', () => {
  it('reads retry-after-ms before retry-after, and HTTP dates', () => {
    const h = (m: Record<string, string>) => (n: string) => m[n];
    expect(retryAfterFromHeaders(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterFromHeaders(h({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterFromHeaders(h({ 'retry-after': 'Wed, 25 Nov 2026 14:00:03 GMT' }), Date.parse('Wed, 25 Nov 2026 14:00:00 GMT'))).toBe(3000);
    expect(retryAfterFromHeaders(h({}))).toBeUndefined();
  });

  it('backs off 500, 1000, 2000 ... capped at 8000, minus up to 25% jitter; caps server waits at 60 s', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelayMs(p, n, undefined, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(retryDelayMs(p, 1, undefined, () => 1)).toBe(750);
    expect(retryDelayMs(p, 0, 120_000)).toBe(60_000);
  });

  it('sleeps what the policy says between attempts, and stops at the cap', async () => {
    const slept: number[] = [];
    const err = () => new ProviderHttpError(503, 'busy', { isRetryable: true });
    let n = 0;
    const attempt = async () => {
      n++;
      throw err();
    };
    await expect(withRetries(attempt, { ...DEFAULT_RETRY_POLICY, maxRetries: 3 }, undefined, { sleep: async (ms) => void slept.push(ms), random: () => 0 })).rejects.toMatchObject({ retries: 3 });
    expect(n).toBe(4);
    expect(slept).toEqual([500, 1000, 2000]);
  });
});
