import { describe, expect, it } from 'vitest';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import { anthropicUsage, chatUsage, responsesUsage } from '../../harness/providers/usage.js';
import { API_CASES, providerFor, oneQuestion, useWireServer } from './apis.js';
import { scenario, session } from './helpers.js';

let server: WireServer;
useWireServer((s) => (server = s));

const [chat, responses, anthropic] = API_CASES as [(typeof API_CASES)[0], (typeof API_CASES)[0], (typeof API_CASES)[0]];

const request = oneQuestion('hi');

// Hand-written bodies, field for field as each API documents them.
const chatBody = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1767225600,
  model: 'gpt-test',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: {
    prompt_tokens: 1200,
    completion_tokens: 350,
    total_tokens: 1550,
    prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 200, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
};

const responsesBody = {
  id: 'resp_1',
  object: 'response',
  created_at: 1767225600,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: 'sys',
  metadata: {},
  model: 'gpt-test',
  output: [{ id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'hello', annotations: [] }] }],
  parallel_tool_calls: true,
  temperature: 1,
  tool_choice: 'auto',
  tools: [],
  top_p: 1,
  usage: {
    input_tokens: 2048,
    input_tokens_details: { cached_tokens: 1536, cache_write_tokens: 0 },
    output_tokens: 96,
    output_tokens_details: { reasoning_tokens: 64 },
    total_tokens: 2144,
  },
};

const anthropicBody = (usage: Record<string, unknown>, content: unknown[] = [{ type: 'text', text: 'hello' }], stop = 'end_turn') => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-test',
  content,
  stop_reason: stop,
  stop_sequence: null,
  usage,
});

describe('usage through the real SDKs, hand-computed', () => {
  it('OpenAI chat: prompt_tokens already includes the 1024 cached tokens', async () => {
    server.script(chat.route, { body: chatBody });
    const r = await providerFor(chat, server).generate(request);
    // input 1200 (of which 1024 cached), output 350 (of which 200 reasoning); total 1550 as reported.
    expect(r.usage).toEqual({ inputTokens: 1200, outputTokens: 350, cachedInputTokens: 1024, reasoningTokens: 200 });
    expect((r.usage.inputTokens ?? 0) + (r.usage.outputTokens ?? 0)).toBe(chatBody.usage.total_tokens);
  });

  it('OpenAI Responses: input_tokens already includes the 1536 cached tokens', async () => {
    server.script(responses.route, { body: responsesBody });
    const r = await providerFor(responses, server).generate(request);
    expect(r.usage).toEqual({ inputTokens: 2048, outputTokens: 96, cachedInputTokens: 1536, reasoningTokens: 64 });
    expect((r.usage.inputTokens ?? 0) + (r.usage.outputTokens ?? 0)).toBe(responsesBody.usage.total_tokens);
  });

  it('Anthropic: input = 50 uncached + 1800 cache reads + 250 cache writes = 2100; cached = 1800', async () => {
    server.script(anthropic.route, {
      body: anthropicBody({ input_tokens: 50, cache_read_input_tokens: 1800, cache_creation_input_tokens: 250, output_tokens: 120, output_tokens_details: { thinking_tokens: 30 } }),
    });
    const r = await providerFor(anthropic, server).generate(request);
    expect(r.usage).toEqual({ inputTokens: 2100, outputTokens: 120, cachedInputTokens: 1800, reasoningTokens: 30 });
  });

  it('Anthropic: a session total counts cache writes and reads once each', async () => {
    // Turn 1 writes the 1500-token prefix to the cache; turn 2 reads it back.
    server.script(
      anthropic.route,
      {
        body: anthropicBody(
          { input_tokens: 50, cache_read_input_tokens: 0, cache_creation_input_tokens: 1500, output_tokens: 40 },
          [{ type: 'tool_use', id: 'toolu_1', name: 'get_order', input: { order_id: 42 }, caller: { type: 'direct' } }],
          'tool_use',
        ),
      },
      { body: anthropicBody({ input_tokens: 80, cache_read_input_tokens: 1500, cache_creation_input_tokens: null, output_tokens: 30 }) },
    );
    const record = await session(providerFor(anthropic, server), scenario('fan-in'));
    expect(record.turns.map((t) => t.usage)).toEqual([
      { inputTokens: 1550, outputTokens: 40, cachedInputTokens: 0, estimated: false },
      { inputTokens: 1580, outputTokens: 30, cachedInputTokens: 1500, estimated: false },
    ]);
    const m = sessionMetrics(record);
    expect([m.inputTokens, m.cachedInputTokens, m.outputTokens, m.totalTokens, m.tokensEstimated]).toEqual([3130, 1500, 70, 3200, false]);
  });

  it('no usage in the response: the loop estimates and flags it', async () => {
    const { usage: _, ...noUsage } = chatBody;
    server.script(chat.route, { body: noUsage });
    const record = await session(providerFor(chat, server), scenario('fan-in'));
    expect(record.turns[0]?.usage.estimated).toBe(true);
    expect(record.turns[0]?.usage.inputTokens).toBeGreaterThan(0);
  });
});

describe('usage mapping functions', () => {
  it('keep missing fields missing instead of inventing zeros', () => {
    expect(chatUsage({ prompt_tokens: 10, completion_tokens: 2 })).toEqual({ inputTokens: 10, outputTokens: 2 });
    expect(chatUsage(undefined)).toEqual({});
    expect(responsesUsage({ input_tokens: 7, output_tokens: 1 })).toEqual({ inputTokens: 7, outputTokens: 1 });
  });

  it('Anthropic without cache fields: cached is 0, input unchanged', () => {
    expect(anthropicUsage({ input_tokens: 300, output_tokens: 20, cache_read_input_tokens: null, cache_creation_input_tokens: null })).toEqual({
      inputTokens: 300,
      outputTokens: 20,
      cachedInputTokens: 0,
    });
  });
});
