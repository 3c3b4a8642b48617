import type { ChatCompletion, ChatCompletionCreateParams, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Message, MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { Response, ResponseCreateParamsNonStreaming, ResponseInputItem, ResponseOutputItem } from 'openai/resources/responses/responses';

/**
 * Hand-built traces: a conversation script rendered as the JSON lines a
 * logging proxy writes, typed against the vendors' SDK types, so a field the
 * SDK does not have fails to type-check here.
 */

export interface ScriptCall {
  name: string;
  args: Record<string, unknown>;
  result: string;
  isError?: boolean;
}

export interface ScriptTurn {
  calls: ScriptCall[];
  text?: string;
  usage: { input: number; output: number; cached?: number };
  latencyMs?: number;
}

export interface Script {
  /** Prefix of tool call ids, so two conversations never share ids. */
  id: string;
  model: string;
  system: string;
  user: string;
  turns: ScriptTurn[];
}

const TOOLS = ['get_weather', 'find_hotels', 'book_hotel', 'lookup', 'merge'];
const str = { type: 'string' };
/** Each tool's declared parameters, as an agent would define them. */
const PROPERTIES: Record<string, Record<string, unknown>> = {
  get_weather: { city: str },
  find_hotels: { near: str },
  book_hotel: { hotel_id: str, nights: { type: 'integer' } },
  lookup: { order: { type: 'integer' }, customer: str, employee: str, record: str, part: str },
  merge: { a: str, b: str },
};

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** One line per model call of the script, in Chat Completions form. */
export function chatLines(s: Script): string[] {
  const history: ChatCompletionMessageParam[] = [{ role: 'system', content: s.system }, { role: 'user', content: s.user }];
  let at = T0;
  return s.turns.map((turn, k) => {
    const request: ChatCompletionCreateParams = {
      model: s.model,
      messages: history.map((m) => ({ ...m })),
      tools: TOOLS.map((name) => ({ type: 'function', function: { name, description: `${name} tool`, parameters: { type: 'object', properties: PROPERTIES[name] } } })),
    };
    const toolCalls = turn.calls.map((c, j) => ({ id: `${s.id}-${k + 1}-${j + 1}`, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.args) } }));
    const response: ChatCompletion = {
      id: `chatcmpl-${s.id}-${k + 1}`,
      object: 'chat.completion',
      created: Math.floor(at / 1000),
      model: s.model,
      choices: [
        {
          index: 0,
          finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
          logprobs: null,
          message: { role: 'assistant', content: turn.text ?? null, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        },
      ],
      usage: { prompt_tokens: turn.usage.input, completion_tokens: turn.usage.output, total_tokens: turn.usage.input + turn.usage.output, prompt_tokens_details: { cached_tokens: turn.usage.cached ?? 0 } },
    };
    const line = { request, response, started_at: new Date(at).toISOString(), ...(turn.latencyMs !== undefined ? { latency_ms: turn.latencyMs } : {}) };
    at += (turn.latencyMs ?? 0) + 1000;
    history.push({ role: 'assistant', content: turn.text ?? null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) });
    turn.calls.forEach((c, j) => history.push({ role: 'tool', tool_call_id: `${s.id}-${k + 1}-${j + 1}`, content: c.result }));
    return JSON.stringify(line);
  });
}

/** One line per model call of the script, in Anthropic Messages form. */
export function anthropicLines(s: Script): string[] {
  const history: MessageParam[] = [{ role: 'user', content: s.user }];
  let at = T0;
  return s.turns.map((turn, k) => {
    const request: MessageCreateParams = {
      model: s.model,
      max_tokens: 1024,
      system: s.system,
      messages: history.map((m) => ({ ...m })),
      tools: TOOLS.map((name) => ({ name, description: `${name} tool`, input_schema: { type: 'object', properties: PROPERTIES[name] } })),
    };
    const uses = turn.calls.map((c, j) => ({ type: 'tool_use' as const, id: `${s.id}-${k + 1}-${j + 1}`, name: c.name, input: c.args, caller: { type: 'direct' as const } }));
    const content: Message['content'] = [...(turn.text !== undefined ? [{ type: 'text' as const, text: turn.text, citations: null }] : []), ...uses];
    const cached = turn.usage.cached ?? 0;
    const response: Message = {
      id: `msg_${s.id}_${k + 1}`,
      type: 'message',
      role: 'assistant',
      model: s.model,
      content,
      stop_reason: uses.length > 0 ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      container: null,
      diagnostics: null,
      stop_details: null,
      usage: {
        input_tokens: turn.usage.input - cached,
        output_tokens: turn.usage.output,
        cache_read_input_tokens: cached,
        cache_creation_input_tokens: 0,
        cache_creation: null,
        server_tool_use: null,
        service_tier: null,
        inference_geo: null,
        output_tokens_details: null,
        speed: null,
      },
    };
    const line = { request, response, started_at: new Date(at).toISOString(), ...(turn.latencyMs !== undefined ? { latency_ms: turn.latencyMs } : {}) };
    at += (turn.latencyMs ?? 0) + 1000;
    history.push({ role: 'assistant', content });
    if (turn.calls.length > 0) {
      history.push({
        role: 'user',
        content: turn.calls.map((c, j) => ({ type: 'tool_result' as const, tool_use_id: `${s.id}-${k + 1}-${j + 1}`, content: c.result, ...(c.isError ? { is_error: true } : {}) })),
      });
    }
    return JSON.stringify(line);
  });
}

/**
 * One line per model call in Responses API form: with `chained`, each request
 * after the first sends only the new input and names `previous_response_id`;
 * otherwise it re-sends the whole input.
 */
export function responsesLines(s: Script, chained: boolean): string[] {
  const history: ResponseInputItem[] = [{ role: 'user', content: s.user }];
  let fresh: ResponseInputItem[] = [...history];
  let at = T0;
  return s.turns.map((turn, k) => {
    const request: ResponseCreateParamsNonStreaming = {
      model: s.model,
      instructions: s.system,
      input: (chained ? fresh : history).map((m) => ({ ...m })),
      tools: TOOLS.map((name) => ({ type: 'function', name, description: `${name} tool`, parameters: { type: 'object', properties: PROPERTIES[name] }, strict: false })),
      ...(chained && k > 0 ? { previous_response_id: `resp_${s.id}_${k}` } : {}),
    };
    const calls = turn.calls.map((c, j) => ({ type: 'function_call' as const, call_id: `${s.id}-${k + 1}-${j + 1}`, name: c.name, arguments: JSON.stringify(c.args) }));
    const output: ResponseOutputItem[] = [
      ...(turn.text !== undefined
        ? [{ type: 'message' as const, id: `msg_${s.id}_${k + 1}`, role: 'assistant' as const, status: 'completed' as const, content: [{ type: 'output_text' as const, text: turn.text, annotations: [] }] }]
        : []),
      ...calls,
    ];
    const cached = turn.usage.cached ?? 0;
    const response: Pick<Response, 'id' | 'object' | 'created_at' | 'model' | 'output' | 'usage' | 'status'> = {
      id: `resp_${s.id}_${k + 1}`,
      object: 'response',
      created_at: Math.floor(at / 1000),
      model: s.model,
      status: 'completed',
      output,
      usage: {
        input_tokens: turn.usage.input,
        output_tokens: turn.usage.output,
        total_tokens: turn.usage.input + turn.usage.output,
        input_tokens_details: { cached_tokens: cached, cache_write_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    };
    const line = { request, response, started_at: new Date(at).toISOString(), ...(turn.latencyMs !== undefined ? { latency_ms: turn.latencyMs } : {}) };
    at += (turn.latencyMs ?? 0) + 1000;
    const results: ResponseInputItem[] = turn.calls.map((c, j) => ({ type: 'function_call_output', call_id: `${s.id}-${k + 1}-${j + 1}`, output: c.result }));
    history.push(...calls, ...results);
    fresh = results;
    return JSON.stringify(line);
  });
}

/** Interleaves line lists: a1, b1, a2, b2, ... */
export function interleave(...lists: string[][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(...lists.map((l) => l.length)); i += 1) for (const l of lists) if (l[i] !== undefined) out.push(l[i] as string);
  return out;
}

const call = (name: string, args: Record<string, unknown>, result: string, isError = false): ScriptCall => ({ name, args, result, ...(isError ? { isError } : {}) });

/**
 * Five calls one at a time; three of them (the weather calls) independent.
 * c4 needs c3 (station FAR-77 first seen in c3's result; "Faro" is in the prompt),
 * c5 needs c4 (hotel H-9001). Levels 1,1,1,2,3: optimal 3 tool turns + 1 answer.
 * Turns 2 and 3 merge into turn 1: saved input 150 + 200 = 350, cached 64 + 128 = 192,
 * model latency 600 + 700 = 1300 ms.
 */
export const oneAtATime = (id = 'a', model = 'gpt-4o'): Script => ({
  id,
  model,
  system: 'You are a travel agent.',
  user: 'Check the weather in Lisbon, Porto and Faro, then book a hotel near the weather station of Faro.',
  turns: [
    { calls: [call('get_weather', { city: 'Lisbon' }, '{"temp_c": 21}')], usage: { input: 100, output: 10 }, latencyMs: 500 },
    { calls: [call('get_weather', { city: 'Porto' }, '{"temp_c": 17}')], usage: { input: 150, output: 10, cached: 64 }, latencyMs: 600 },
    { calls: [call('get_weather', { city: 'Faro' }, '{"temp_c": 24, "station": "FAR-77"}')], usage: { input: 200, output: 10, cached: 128 }, latencyMs: 700 },
    { calls: [call('find_hotels', { near: 'FAR-77' }, '{"hotel_id": "H-9001"}')], usage: { input: 250, output: 12 }, latencyMs: 800 },
    { calls: [call('book_hotel', { hotel_id: 'H-9001', nights: 2 }, '{"booking": "BK-555"}')], usage: { input: 300, output: 12 }, latencyMs: 900 },
    { calls: [], text: 'Booked BK-555 near FAR-77.', usage: { input: 350, output: 20 }, latencyMs: 1000 },
  ],
});

/** The same task well batched: the three weather calls in one turn; nothing to save. */
export const wellBatched = (id = 'b'): Script => ({
  id,
  model: 'gpt-4o',
  system: 'You are a travel agent.',
  user: 'Check the weather in Lisbon, Porto and Faro, then book a hotel near the weather station of Faro.',
  turns: [
    {
      calls: [call('get_weather', { city: 'Lisbon' }, '{"temp_c": 21}'), call('get_weather', { city: 'Porto' }, '{"temp_c": 17}'), call('get_weather', { city: 'Faro' }, '{"temp_c": 24, "station": "FAR-77"}')],
      usage: { input: 100, output: 30 },
    },
    { calls: [call('find_hotels', { near: 'FAR-77' }, '{"hotel_id": "H-9001"}')], usage: { input: 220, output: 12 } },
    { calls: [call('book_hotel', { hotel_id: 'H-9001' }, '{"booking": "BK-555"}')], usage: { input: 260, output: 12 } },
    { calls: [], text: 'Booked BK-555.', usage: { input: 300, output: 20 } },
  ],
});

/** A true chain: each call uses the previous result; nothing to save. */
export const chain = (id = 'c'): Script => ({
  id,
  model: 'gpt-4o',
  system: 'You look things up.',
  user: 'Find the manager of the owner of order 4711.',
  turns: [
    { calls: [call('lookup', { order: 4711 }, '{"customer": "CU-8812"}')], usage: { input: 80, output: 8 } },
    { calls: [call('lookup', { customer: 'CU-8812' }, '{"account_manager": "EMP-0042"}')], usage: { input: 120, output: 8 } },
    { calls: [call('lookup', { employee: 'EMP-0042' }, '{"name": "Ana Silva"}')], usage: { input: 160, output: 8 } },
    { calls: [], text: 'Ana Silva.', usage: { input: 200, output: 5 } },
  ],
});

/**
 * A diamond made one call at a time: a, then b and c (each needs a), then d (needs b and c).
 * Levels 1, 2, 2, 3: turn 3 (c) joins turn 2; saved 1 turn and its 140 input tokens.
 */
export const diamond = (id = 'd'): Script => ({
  id,
  model: 'gpt-4o',
  system: 'You merge records.',
  user: 'Merge the two halves of record R-1.',
  turns: [
    { calls: [call('lookup', { record: 'R-1' }, '{"left": "L-100", "right": "R-200"}')], usage: { input: 90, output: 8 } },
    { calls: [call('lookup', { part: 'L-100' }, '{"blob": "blob-left"}')], usage: { input: 120, output: 8 } },
    { calls: [call('lookup', { part: 'R-200' }, '{"blob": "blob-right"}')], usage: { input: 140, output: 8 } },
    { calls: [call('merge', { a: 'blob-left', b: 'blob-right' }, '{"merged": "M-300"}')], usage: { input: 170, output: 10 } },
    { calls: [], text: 'Merged as M-300.', usage: { input: 200, output: 6 } },
  ],
});

/**
 * A tool error then a retry, then an independent call made late.
 * c1 fails; c2 (retry of get_weather) needs c1 -> level 2; c3 (Porto) is level 1 and joins turn 1.
 * Saved 1 turn (turn 3, 130 input tokens); optimal 2 tool turns + 1 answer.
 */
export const toolError = (id = 'e'): Script => ({
  id,
  model: 'gpt-4o',
  system: 'You report weather.',
  user: 'Weather in Lisbon and Porto?',
  turns: [
    { calls: [call('get_weather', { city: 'Lisboa' }, 'error: unknown city Lisboa', true)], usage: { input: 70, output: 8 } },
    { calls: [call('get_weather', { city: 'Lisbon' }, '{"temp_c": 21}')], usage: { input: 100, output: 8 } },
    { calls: [call('get_weather', { city: 'Porto' }, '{"temp_c": 17}')], usage: { input: 130, output: 8 } },
    { calls: [], text: 'Lisbon 21, Porto 17.', usage: { input: 160, output: 9 } },
  ],
});

/** A session without tools: one answer. */
export const noTools = (id = 'f'): Script => ({
  id,
  model: 'gpt-4o',
  system: 'You answer.',
  user: 'Say hello.',
  turns: [{ calls: [], text: 'Hello.', usage: { input: 20, output: 3 } }],
});

/** An OTLP/JSON attribute. */
type Attr = { key: string; value: { stringValue: string } | { intValue: string } };
const sAttr = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const iAttr = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });

/**
 * The script as OpenTelemetry GenAI spans (OTLP/JSON, one export per line, one
 * trace per conversation): a `chat {model}` span per model call with usage and,
 * with `content`, `gen_ai.input.messages` / `gen_ai.output.messages`; an
 * `execute_tool {name}` span per tool call (status code 2 when it failed).
 * `conversation` sets `gen_ai.conversation.id` on every span.
 */
export function otelLines(s: Script, opts: { content: boolean; conversation?: string; traceId?: string }): string[] {
  const traceId = opts.traceId ?? s.id.padEnd(32, '0');
  const input: unknown[] = [{ role: 'user', parts: [{ type: 'text', content: s.user }] }];
  let at = BigInt(T0) * 1_000_000n;
  const ms = 1_000_000n;
  let spanNo = 0;
  const span = (name: string, start: bigint, end: bigint, attributes: Attr[], failed = false): unknown => ({
    traceId,
    spanId: (++spanNo).toString(16).padStart(16, '0'),
    name,
    kind: 3,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(end),
    attributes: [...attributes, ...(opts.conversation !== undefined ? [sAttr('gen_ai.conversation.id', opts.conversation)] : [])],
    status: failed ? { code: 2, message: 'tool failed' } : { code: 0 },
  });
  return s.turns.map((turn, k) => {
    const spans: unknown[] = [];
    const latency = BigInt(turn.latencyMs ?? 100);
    const ids = turn.calls.map((_, j) => `${s.id}-${k + 1}-${j + 1}`);
    const output = [{ role: 'assistant', finish_reason: turn.calls.length > 0 ? 'tool_call' : 'stop', parts: [...(turn.text !== undefined ? [{ type: 'text', content: turn.text }] : []), ...turn.calls.map((c, j) => ({ type: 'tool_call', id: ids[j], name: c.name, arguments: c.args }))] }];
    spans.push(
      span(`chat ${s.model}`, at, at + latency * ms, [
        sAttr('gen_ai.operation.name', 'chat'),
        sAttr('gen_ai.provider.name', 'openai'),
        sAttr('gen_ai.request.model', s.model),
        sAttr('gen_ai.response.model', s.model),
        iAttr('gen_ai.usage.input_tokens', turn.usage.input),
        iAttr('gen_ai.usage.output_tokens', turn.usage.output),
        iAttr('gen_ai.usage.cache_read.input_tokens', turn.usage.cached ?? 0),
        ...(opts.content
          ? [sAttr('gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: s.system }])), sAttr('gen_ai.input.messages', JSON.stringify(input)), sAttr('gen_ai.output.messages', JSON.stringify(output))]
          : []),
      ]),
    );
    at += latency * ms;
    turn.calls.forEach((c, j) => {
      spans.push(
        span(`execute_tool ${c.name}`, at + BigInt(j) * ms, at + BigInt(j + 10) * ms, [
          sAttr('gen_ai.operation.name', 'execute_tool'),
          sAttr('gen_ai.tool.name', c.name),
          sAttr('gen_ai.tool.call.id', ids[j] as string),
          sAttr('gen_ai.tool.call.arguments', JSON.stringify(c.args)),
          sAttr('gen_ai.tool.call.result', c.result),
        ], c.isError === true),
      );
    });
    at += 1000n * ms;
    input.push(output[0], ...turn.calls.map((c, j) => ({ role: 'tool', parts: [{ type: 'tool_call_response', id: ids[j], response: c.result }] })));
    return JSON.stringify({ resourceSpans: [{ resource: { attributes: [sAttr('service.name', 'agent')] }, scopeSpans: [{ scope: { name: 'genai' }, spans }] }] });
  });
}
