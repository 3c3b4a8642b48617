import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from '../../harness/providers/record-replay.js';
import { createProvider } from '../../harness/providers/registry.js';
import { replyBody } from '../../testing/wire/wire-replies.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import type { ModelRequest } from '../../harness/providers/types.js';
import { API_CASES, providerFor, useWireServer } from './apis.js';
import { batches, scenario, session, variant } from './helpers.js';

let server: WireServer;
useWireServer((s) => (server = s));

const request = (over: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'sys',
  messages: [{ role: 'user', content: 'hi' }],
  tools: [],
  options: { parallelToolCalls: true },
  context: { scenarioId: 'fan-in', variantId: 'parallel', repeat: 1, turn: 1, seed: 0 },
  ...over,
});

describe('request hash', () => {
  it('ignores key order, turn and seed; depends on provider, history, options and repeat', () => {
    const base = requestHash('openai:m', request());
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(requestHash('openai:m', request({ context: { scenarioId: 'fan-in', variantId: 'parallel', repeat: 1, turn: 7, seed: 99 } }))).toBe(base);
    expect(requestHash('anthropic:m', request())).not.toBe(base);
    expect(requestHash('openai:m', request({ messages: [{ role: 'user', content: 'hi!' }] }))).not.toBe(base);
    expect(requestHash('openai:m', request({ options: { parallelToolCalls: false } }))).not.toBe(base);
    expect(requestHash('openai:m', request({ context: { scenarioId: 'fan-in', variantId: 'parallel', repeat: 2, turn: 1, seed: 0 } }))).not.toBe(base);
  });
});

describe.each(API_CASES)('$name: record and replay', (api) => {
  it('replays a recorded session with no network, call for call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-rr-'));
    server.script(
      api.route,
      { body: replyBody(api.route, { calls: [{ id: 'call_r1', name: 'get_order', args: { order_id: 42 } }, { id: 'call_r2', name: 'get_ticket', args: { ticket_id: 7 } }], usage: { input: 900, output: 40, cached: 512 } }) },
      { body: replyBody(api.route, { calls: [{ id: 'call_r3', name: 'send_email', args: { to: 'ada@example.com', body: 'Ticket 7 is resolved.' } }], usage: { input: 1100, output: 30 } }) },
      { body: replyBody(api.route, { text: 'Ticket 7 is resolved.', usage: { input: 1300, output: 12 } }) },
    );
    const recorded = await session(providerFor(api, server, { recordDir: dir }), scenario('fan-in'));
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.json')).sort();
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(/^fan-in\/parallel\/r1-t1-[0-9a-f]{16}\.json$/);
    const first = JSON.parse(readFileSync(join(dir, files[0] ?? ''), 'utf8'));
    expect(first).toMatchObject({ format: 1, provider: `${api.prefix}:test-model`, context: { scenarioId: 'fan-in', turn: 1 }, response: { status: 200 } });

    const requestsBefore = server.requests.length;
    const replayHandle = createProvider(`${api.prefix}:test-model`, { replayDir: dir });
    const replayed = await session(replayHandle.forScenario(scenario('fan-in')), scenario('fan-in'));
    expect(server.requests.length).toBe(requestsBefore);
    expect(batches(replayed)).toEqual([2, 1, 0]);
    const strip = (r: typeof recorded) => r.turns.map((t) => ({ ...t, realLatencyMs: 0 }));
    expect(strip(replayed)).toEqual(strip(recorded));
    expect(replayed.turns[0]?.usage).toMatchObject({ inputTokens: 900, outputTokens: 40, cachedInputTokens: 512, estimated: false });
  });
});

describe('replay misses', () => {
  it('name the scenario, variant and turn, and say why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-miss-'));
    const chat = API_CASES[0]!;
    server.script(chat.route, { body: replyBody(chat.route, { calls: [{ name: 'get_order', args: { order_id: 42 } }] }) }, { body: replyBody(chat.route, { text: 'ok' }) });
    await session(providerFor(chat, server, { recordDir: dir }), scenario('fan-in'));

    // Another prompt variant: nothing recorded for it.
    const replay = createProvider('openai:test-model', { replayDir: dir }).forScenario(scenario('fan-in'));
    const other = await session(replay, scenario('fan-in'), variant(false));
    expect(other.status).toBe('errored');
    if (other.status !== 'errored') return;
    expect(other.error.class).toBe('ReplayMissError');
    expect(other.error.message).toContain('scenario "fan-in", variant "serial", repeat 1, turn 1');
    expect(other.error.message).toContain('nothing is recorded for this session');

    // Same session, other provider id.
    const wrong = await session(createProvider('openai:other-model', { replayDir: dir }).forScenario(scenario('fan-in')), scenario('fan-in'));
    expect(wrong.status === 'errored' && wrong.error.message).toContain('recorded with provider openai:test-model');

    // Needs no key and no server.
    delete process.env.OPENAI_API_KEY;
    expect(() => createProvider('openai:test-model', { replayDir: dir })).not.toThrow();
    expect(() => createProvider('openai:test-model', { replayDir: dir, recordDir: dir })).toThrow(/either --record or --replay/);
  });
});

describe('a call that failed for good', () => {
  it('is recorded, and replays as the same error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-err-'));
    const anthropic = API_CASES[2]!;
    server.fallback(anthropic.route, { status: 529, headers: { 'retry-after-ms': '5' }, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    const recorded = await session(providerFor(anthropic, server, { recordDir: dir, maxRetries: 1 }), scenario('fan-in'));
    expect(server.requests).toHaveLength(2);
    expect(recorded.status).toBe('errored');
    const replayed = await session(createProvider(`${anthropic.prefix}:test-model`, { replayDir: dir }).forScenario(scenario('fan-in')), scenario('fan-in'));
    expect(replayed.status).toBe('errored');
    if (recorded.status !== 'errored' || replayed.status !== 'errored') return;
    expect(replayed.error).toEqual(recorded.error);
    expect(replayed.error).toMatchObject({ class: 'ProviderHttpError', statusCode: 529 });
    expect(replayed.error.message).toContain('Overloaded');
    expect(replayed.error.message).toContain('gave up after 1 retry');
  });
});
