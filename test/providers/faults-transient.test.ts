import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../harness/providers/provider-errors.js';
import { faultStep, type WireFault } from '../../testing/wire/wire-faults.js';
import { replyBody } from '../../testing/wire/wire-replies.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import { API_CASES, providerFor, oneQuestion, useWireServer } from './apis.js';
import { FAKE_KEY } from './helpers.js';

/**
 * Transient faults, injected by the wire server under the real SDK clients:
 * each is retried by the one retry layer, then classed; a fault that clears
 * within the retries ends in a normal response.
 */
let server: WireServer;
useWireServer((s) => (server = s));

const request = oneQuestion();

/** Every fault that must be retried, the class it ends in, and what its message must say. */
const TRANSIENT: { fault: WireFault; name: string; says: RegExp }[] = [
  { fault: 'reset', name: 'ProviderConnectionError', says: /: connection failed before any answer: Connection error\. \(fetch failed: other side closed\)/ },
  { fault: 'reset-mid-body', name: 'ProviderConnectionError', says: /: the connection broke while the body was read \(HTTP 200\): terminated: other side closed/ },
  { fault: 'truncated', name: 'ProviderResponseError', says: /: HTTP 200, but the body ends before its JSON does, a truncated body \(application\/json, \d+ bytes\)/ },
  { fault: 'malformed', name: 'ProviderResponseError', says: /: HTTP 200, but the body was malformed JSON \(application\/json, \d+ bytes: Expected double-quoted property name/ },
  // The proxy page is 498 bytes: 150 of markup and 6 comment lines of 58.
  { fault: 'html', name: 'ProviderResponseError', says: /: HTTP 502 from the API, and the body was not JSON \(text\/html, 498 bytes: "502 Bad Gateway"\)/ },
  { fault: 'html-200', name: 'ProviderResponseError', says: /: HTTP 200, but the body was not JSON \(text\/html, 250 bytes: "Sign in"\)/ },
];

describe.each(API_CASES)('$name: transient faults', (api) => {
  it.each(TRANSIENT)('$fault on every attempt: 3 requests, then $name', async ({ fault, name, says }) => {
    server.fallback(api.route, faultStep(fault));
    const error = await providerFor(api, server, { maxRetries: 2, retryBaseDelayMs: 1 })
      .generate(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ name, retries: 2, isRetryable: true });
    const message = (error as Error).message;
    expect(message.startsWith(`${api.prefix}:test-model: `)).toBe(true);
    expect(message).toMatch(says);
    expect(message).toContain('(gave up after 2 retries)');
    expect(message).not.toContain(FAKE_KEY);
    // No dump of the page: the message is a sentence, not the body.
    expect(message.length).toBeLessThan(260);
    expect(server.requestsTo(api.route)).toHaveLength(3);
  });

  it.each(TRANSIENT)('$fault once: retried into a normal response', async ({ fault }) => {
    server.script(api.route, faultStep(fault), { body: replyBody(api.route, { text: 'recovered', usage: { input: 12, output: 3 } }) });
    const response = await providerFor(api, server, { maxRetries: 2, retryBaseDelayMs: 1 }).generate(request);
    expect(response.parts).toEqual([{ type: 'text', text: 'recovered' }]);
    expect(response.usage).toMatchObject({ inputTokens: 12, outputTokens: 3 });
    expect(response.retries).toBe(1);
    expect(server.requestsTo(api.route)).toHaveLength(2);
  });

  it('hang and a body stalled half-way: the request timeout covers the whole exchange, retried, then ProviderTimeoutError', async () => {
    for (const fault of ['hang', 'stall-mid-body'] as const) {
      server.reset();
      server.fallback(api.route, faultStep(fault));
      const t0 = performance.now();
      const error = await providerFor(api, server, { maxRetries: 1, retryBaseDelayMs: 1, timeoutMs: 150 })
        .generate(request)
        .catch((e: unknown) => e);
      const elapsed = performance.now() - t0;
      expect(error, fault).toMatchObject({ name: 'ProviderTimeoutError', retries: 1 });
      expect((error as Error).message).toContain('within the request timeout of 150 ms (gave up after 1 retry)');
      expect(server.requestsTo(api.route)).toHaveLength(2);
      // Two attempts of 150 ms each, and not much more.
      expect(elapsed).toBeGreaterThanOrEqual(295);
      expect(elapsed).toBeLessThan(1_500);
    }
  });

  it('a 400 ms storm of 500s: backoff 200 then 400 ms (minus up to 25%) lands the third attempt after it', async () => {
    server.storm(400);
    server.fallback(api.route, { body: replyBody(api.route, { text: 'after the storm' }) });
    const response = await providerFor(api, server, { maxRetries: 3, retryBaseDelayMs: 200 }).generate(request);
    expect(response.parts).toEqual([{ type: 'text', text: 'after the storm' }]);
    // Attempt 1 at 0 ms and attempt 2 at 150-200 ms fall in the storm; attempt 3 at 450-600 ms does not.
    expect(response.retries).toBe(2);
    expect(server.requestsTo(api.route)).toHaveLength(3);
  });

  it('a storm longer than the retries: ProviderHttpError 500 after 1 + 2 requests', async () => {
    server.storm(10_000);
    server.fallback(api.route, { body: replyBody(api.route, { text: 'never' }) });
    const error = await providerFor(api, server, { maxRetries: 2, retryBaseDelayMs: 1 })
      .generate(request)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderHttpError', statusCode: 500, retries: 2 });
    expect((error as Error).message).toContain('HTTP 500 from the API');
    expect((error as Error).message).toContain('wire server: storm (500 for 10000 ms)');
    expect(server.requestsTo(api.route)).toHaveLength(3);
  });
});
