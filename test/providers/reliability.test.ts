import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../../harness/providers/registry.js';
import { SlidingWindow } from '../../harness/providers/rate-limit.js';
import { referenceResponder } from '../../testing/wire/reference-responder.js';
import { errorReply, replyBody } from '../../testing/wire/wire-replies.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import type { ModelRequest } from '../../harness/providers/types.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { API_CASES, KEY_ENV, providerFor, useWireServer } from './apis.js';
import { fixtureScenarios, scenario, session, variant } from './helpers.js';

let server: WireServer;
useWireServer((s) => (server = s));

const chat = API_CASES[0]!;
const anthropic = API_CASES[2]!;

const request = (turn = 1): ModelRequest => ({
  system: 'sys',
  messages: [{ role: 'user', content: `question ${turn}` }],
  tools: [],
  options: { parallelToolCalls: true },
  context: { scenarioId: 's', variantId: 'v', repeat: 1, turn, seed: 0 },
});

/** Gaps between consecutive requests the server received, in ms. */
const gaps = (): number[] => server.requests.slice(1).map((r, i) => r.at - (server.requests[i]?.at ?? 0));

describe.each(API_CASES)('$name: retries', (api) => {
  it('honours retry-after-ms on 429 twice, then succeeds and counts 2 retries', async () => {
    const limited = errorReply(api.route, 429, 'slow down', { 'retry-after-ms': '150' });
    server.script(api.route, limited, limited, { body: replyBody(api.route, { text: 'fine' }) });
    // Backoff alone would wait 3.75 s or more: a gap near 150 ms is the server's wish honoured.
    const response = await providerFor(api, server, { retryBaseDelayMs: 5_000 }).generate(request());
    expect(response.retries).toBe(2);
    expect(response.parts).toEqual([{ type: 'text', text: 'fine' }]);
    // One attempt per scripted reply: the SDK's own retries are off.
    expect(server.requests).toHaveLength(3);
    for (const gap of gaps()) {
      expect(gap).toBeGreaterThanOrEqual(140);
      expect(gap).toBeLessThan(2_000);
    }
  });

  it('retries a request that exceeds the timeout, and reports the timeout when every attempt does', async () => {
    // The timeout leaves an on-time answer room on a loaded machine; the late one is far beyond it.
    server.script(api.route, { body: replyBody(api.route, { text: 'late' }), delayMs: 3_000 }, { body: replyBody(api.route, { text: 'on time' }) });
    const ok = await providerFor(api, server, { timeoutMs: 500 }).generate(request());
    expect(ok.retries).toBe(1);
    expect(ok.parts).toEqual([{ type: 'text', text: 'on time' }]);

    server.reset();
    server.fallback(api.route, { body: replyBody(api.route, { text: 'late' }), delayMs: 3_000 });
    const record = await session(providerFor(api, server, { timeoutMs: 500, maxRetries: 2 }), scenario('fan-in'));
    expect(record.status).toBe('errored');
    if (record.status !== 'errored') return;
    expect(record.error.class).toBe('ProviderTimeoutError');
    expect(record.error.message).toContain('request timeout of 500 ms');
    expect(record.error.message).toContain('gave up after 2 retries');
    expect(server.requests).toHaveLength(3);
  });
});

describe('retry-after in seconds', () => {
  it('waits the whole second a 429 asks for', async () => {
    server.script(chat.route, errorReply(chat.route, 429, 'slow down', { 'retry-after': '1' }), { body: replyBody(chat.route, { text: 'ok' }) });
    const response = await providerFor(chat, server, { retryBaseDelayMs: 1 }).generate(request());
    expect(response.retries).toBe(1);
    expect(gaps()[0]).toBeGreaterThanOrEqual(990);
    expect(gaps()[0]).toBeLessThan(2_500);
  });

  it('backs off exponentially when the server gives no retry-after', async () => {
    const failing = errorReply(anthropic.route, 503, 'overloaded');
    server.script(anthropic.route, failing, failing, failing, { body: replyBody(anthropic.route, { text: 'ok' }) });
    const response = await providerFor(anthropic, server, { retryBaseDelayMs: 40 }).generate(request());
    expect(response.retries).toBe(3);
    // Backoffs 40, 80, 160 ms, each minus up to 25% jitter.
    const [a, b, c] = gaps();
    expect(a).toBeGreaterThanOrEqual(29);
    expect(b).toBeGreaterThanOrEqual(59);
    expect(c).toBeGreaterThanOrEqual(119);
    expect(c).toBeLessThan(1_000);
  });

  it('does not retry a client error', async () => {
    server.script(chat.route, errorReply(chat.route, 422, 'unprocessable'), { body: replyBody(chat.route, { text: 'never' }) });
    await expect(providerFor(chat, server).generate(request())).rejects.toMatchObject({ name: 'ProviderHttpError', statusCode: 422, retries: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries refused connections, then reports them', async () => {
    const closed = await WireServer.start();
    const url = closed.openaiBaseUrl;
    await closed.close();
    const provider = createProvider('openai:m', { baseUrl: url, apiKeyEnv: KEY_ENV, maxRetries: 2, retryBaseDelayMs: 5 }).forScenario(scenario('fan-in'));
    await expect(provider.generate(request())).rejects.toMatchObject({ name: 'ProviderConnectionError', retries: 2 });
  });
});

describe('a 500 storm in a run', () => {
  it('errors only the session it hits; the other sessions of the run complete', async () => {
    const scenarios = fixtureScenarios();
    const fanIn = scenarios.find((s) => s.id === 'fan-in')!;
    const reference = referenceResponder(chat.route, scenarios);
    server.fallback(chat.route, (req) =>
      JSON.stringify(req.body.messages).includes(fanIn.task) ? errorReply(chat.route, 500, 'internal error') : reference(req),
    );
    const handle = createProvider('openai:storm', { baseUrl: server.openaiBaseUrl, apiKeyEnv: KEY_ENV, maxRetries: 2, retryBaseDelayMs: 5 });
    const { dir } = await runSuite({
      scenarios,
      variants: [variant(true)],
      providers: [handle],
      repeats: 2,
      concurrency: 4,
      seed: 1,
      outDir: mkdtempSync(join(tmpdir(), 'bb-storm-')),
      modelLatencyMs: 0,
      maxTurns: 10,
    });
    const { sessions, manifest } = readRun(dir);
    expect(manifest.state).toBe('finished');
    const byScenario = (id: string) => sessions.filter((s) => s.scenarioId === id);
    expect(byScenario('chain').map((s) => s.status)).toEqual(['completed', 'completed']);
    for (const s of byScenario('fan-in')) {
      expect(s.status).toBe('errored');
      if (s.status !== 'errored') continue;
      expect(s.error).toMatchObject({ class: 'ProviderHttpError', statusCode: 500 });
      expect(s.error.message).toContain('gave up after 2 retries');
    }
    // 2 sessions x 3 attempts at the storm; 2 x 4 turns of the chain.
    expect(server.requests).toHaveLength(2 * 3 + 2 * 4);
  });
});

describe('limits per provider', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    server.fallback(chat.route, async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 40));
      inFlight--;
      return { body: replyBody(chat.route, { text: 'ok' }) };
    });
    const provider = providerFor(chat, server, { concurrency: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((t) => provider.generate(request(t))));
    expect(server.requests).toHaveLength(5);
    expect(peak).toBe(2);
  });

  it('holds requests beyond requests-per-minute until the window frees a slot', async () => {
    server.fallback(chat.route, { body: replyBody(chat.route, { text: 'ok' }) });
    const provider = providerFor(chat, server, { requestsPerMinute: 2 });
    const abort = new AbortController();
    const calls = [1, 2, 3].map((t) => provider.generate(request(t), abort.signal));
    await Promise.all(calls.slice(0, 2));
    await new Promise((r) => setTimeout(r, 150));
    expect(server.requests).toHaveLength(2);
    abort.abort();
    await expect(calls[2]).rejects.toThrow();
    expect(server.requests).toHaveLength(2);
  });

  it('admits the next request once the oldest leaves the window', async () => {
    const window = new SlidingWindow(2, 120);
    const t0 = performance.now();
    const at: number[] = [];
    await Promise.all([1, 2, 3].map(() => window.take().then(() => at.push(performance.now() - t0))));
    expect(at[0]).toBeLessThan(100);
    expect(at[1]).toBeLessThan(100);
    expect(at[2]).toBeGreaterThanOrEqual(115);
  });
});

describe('the run signal', () => {
  it('collects no listeners from requests, and still cancels a request in flight', async () => {
    server.fallback(chat.route, { body: replyBody(chat.route, { text: 'ok' }) });
    const provider = providerFor(chat, server);
    const run = new AbortController();
    for (let t = 1; t <= 20; t++) await provider.generate(request(t), run.signal);
    expect(EventEmitter.getEventListeners(run.signal, 'abort')).toHaveLength(0);

    server.reset();
    server.fallback(chat.route, { body: replyBody(chat.route, { text: 'late' }), delayMs: 2_000 });
    const pending = provider.generate(request(), run.signal);
    setTimeout(() => run.abort(), 50);
    const t0 = performance.now();
    await expect(pending).rejects.toMatchObject({ name: 'ProviderError', retries: 0 });
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});
