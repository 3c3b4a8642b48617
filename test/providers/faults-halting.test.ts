import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../../harness/providers/registry.js';
import { byteCount, describeUnreadableBody } from '../../harness/providers/response-body.js';
import { errorFields, isModelNotFound } from '../../harness/providers/sdk-errors.js';
import { applyFaultRule, faultStep, parseFaultRule, type WireFault } from '../../testing/wire/wire-faults.js';
import { replyBody } from '../../testing/wire/wire-replies.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import { API_CASES, KEY_ENV, providerFor, oneQuestion, useWireServer } from './apis.js';
import { FAKE_KEY, scenario, session } from './helpers.js';

/**
 * Answers that no retry can fix: a refused key and a missing model halt the
 * provider (`halts`), a well-formed 2xx body without the API's fields is
 * final at once.
 */
let server: WireServer;
useWireServer((s) => (server = s));

const request = oneQuestion('question', { scenarioId: 'fan-in', variantId: 'parallel' });

const fail = (promise: Promise<unknown>): Promise<Error> => promise.then(
  () => {
    throw new Error('expected the call to fail');
  },
  (e: unknown) => e as Error,
);

const HALTING: { fault: WireFault; name: string; halts: 'auth' | 'model'; status: Record<string, number> }[] = [
  { fault: '401', name: 'ProviderAuthError', halts: 'auth', status: { chat: 401, responses: 401, messages: 401 } },
  { fault: '403', name: 'ProviderAuthError', halts: 'auth', status: { chat: 403, responses: 403, messages: 403 } },
  { fault: 'model-not-found', name: 'ProviderModelNotFoundError', halts: 'model', status: { chat: 404, responses: 400, messages: 404 } },
];

describe.each(API_CASES)('$name: errors that halt the provider', (api) => {
  it.each(HALTING)('$fault: one request, no retry, $name with halts $halts', async ({ fault, name, halts, status }) => {
    server.fallback(api.route, faultStep(fault));
    const error = await fail(providerFor(api, server, { maxRetries: 3, retryBaseDelayMs: 1 }, 'no-such-model').generate(request));
    expect(error).toMatchObject({ name, halts, statusCode: status[api.route], retries: 0, isRetryable: false });
    expect(error.message.startsWith(`${api.prefix}:no-such-model: `)).toBe(true);
    if (halts === 'auth') expect(error.message).toContain(`the API refused the key in ${KEY_ENV} (HTTP ${status[api.route]} `);
    else expect(error.message).toContain('the API says the model "no-such-model" does not exist (HTTP ');
    expect(error.message).not.toContain(FAKE_KEY);
    expect(error.message).not.toContain('gave up');
    expect(server.requestsTo(api.route)).toHaveLength(1);
  });

  it('the session record carries the class, the status and halts', async () => {
    server.fallback(api.route, faultStep('401'));
    const record = await session(providerFor(api, server), scenario('fan-in'));
    expect(record.status).toBe('errored');
    if (record.status !== 'errored') return;
    expect(record.error).toMatchObject({ class: 'ProviderAuthError', statusCode: 401, halts: 'auth' });
    expect(JSON.stringify(record)).not.toContain(FAKE_KEY);
  });

  it('a well-formed 200 without the fields of the API is a ProviderResponseError at once, not retried', async () => {
    server.fallback(api.route, { body: { error: { message: 'quota exceeded' }, id: 'x' } });
    const error = await fail(providerFor(api, server, { maxRetries: 3, retryBaseDelayMs: 1 }).generate(request));
    const missing = { chat: 'choices[0].message', responses: 'output array', messages: 'content array' }[api.route];
    expect(error).toMatchObject({ name: 'ProviderResponseError', retries: 0, isRetryable: false });
    expect(error.message).toBe(`${api.prefix}:test-model: HTTP 200, but the body has no ${missing} (a JSON object with keys error, id)`);
    expect(server.requestsTo(api.route)).toHaveLength(1);
  });
});

describe('messages that say what to fix', () => {
  it('OpenAI echoes a masked key in its 401; neither it nor the key reach the message beyond the mask', async () => {
    const api = API_CASES[0]!;
    server.fallback(api.route, faultStep('401'));
    const error = await fail(providerFor(api, server).generate(request));
    // FAKE_KEY is 39 characters: its first 8, 27 asterisks, its last 4.
    expect(error.message).toBe(
      `openai:test-model: the API refused the key in ${KEY_ENV} (HTTP 401 invalid_api_key: Incorrect API key provided: sk-batch${'*'.repeat(27)}cdef. You can find your API key at https://platform.openai.com/account/api-keys.)`,
    );
  });

  it('without a key, a local server that asks for one is told the variable is unset', async () => {
    const api = API_CASES[2]!;
    server.fallback(api.route, faultStep('401'));
    const provider = createProvider('anthropic:local', { baseUrl: server.anthropicBaseUrl, apiKeyEnv: 'BATCHBENCH_UNSET_TEST_KEY' }).forScenario(scenario('fan-in'));
    const error = await fail(provider.generate(request));
    expect(error.message).toBe(
      'anthropic:local: the API asks for a key, but BATCHBENCH_UNSET_TEST_KEY is not set, so none was sent (HTTP 401 authentication_error: invalid x-api-key)',
    );
  });

  it('an OpenAI 403 saying model_not_found halts on the model, not the key', () => {
    const fields = errorFields({ message: 'Project `proj_1` does not have access to model `gpt-x`', type: 'invalid_request_error', param: null, code: 'model_not_found' });
    expect(isModelNotFound(403, fields)).toBe(true);
    expect(isModelNotFound(404, errorFields({ type: 'error', error: { type: 'not_found_error', message: 'Not found' } }))).toBe(true);
    // A 404 from a wrong base URL names no error type: not a missing model.
    expect(isModelNotFound(404, errorFields({ detail: 'Not Found' }))).toBe(false);
    expect(isModelNotFound(400, errorFields({ error: { type: 'invalid_request_error', code: null } }))).toBe(false);
  });

  it('an unreadable body is described, not dumped', () => {
    expect(describeUnreadableBody('text/html; charset=utf-8', '<html><title>502 Bad Gateway</title></html>', [])).toBe(
      'the body was not JSON (text/html, 43 bytes: "502 Bad Gateway")',
    );
    // 23 bytes of text and the 39-byte key: counted as sent, shown masked.
    expect(describeUnreadableBody('text/plain', `upstream connect error ${FAKE_KEY}`, [FAKE_KEY])).toBe(
      'the body was not JSON (text/plain, 62 bytes: "upstream connect error [redacted]")',
    );
    expect(describeUnreadableBody('application/json', '{"id": "x", "choices": [', [], new SyntaxError('Unexpected end of JSON input'))).toBe(
      'the body ends before its JSON does, a truncated body (application/json, 24 bytes)',
    );
    expect(describeUnreadableBody(undefined, '', [])).toBe('the body was empty (no content type, 0 bytes)');
    expect(byteCount(1234)).toBe('1,234 bytes');
  });
});

describe('record and replay of a halting error', () => {
  it('replays as the same class with the same halts', async () => {
    const api = API_CASES[1]!;
    const dir = mkdtempSync(join(tmpdir(), 'bb-halt-'));
    server.fallback(api.route, faultStep('model-not-found'));
    const live = await fail(providerFor(api, server, { recordDir: dir }, 'gpt-nope').generate(request));
    const replayed = await fail(createProvider('openai-responses:gpt-nope', { replayDir: dir }).forScenario(scenario('fan-in')).generate(request));
    expect(replayed).toMatchObject({ name: 'ProviderModelNotFoundError', halts: 'model', statusCode: 400, message: live.message });
    expect(replayed.constructor.name).toBe('ProviderModelNotFoundError');
  });
});

describe('fault rules for serve.ts', () => {
  it('parse <fault>, <fault>:<n>, <fault>/<k> and storm:<ms>; refuse the rest', () => {
    expect(parseFaultRule('401')).toEqual({ fault: '401' });
    expect(parseFaultRule('reset-mid-body:2')).toEqual({ fault: 'reset-mid-body', first: 2 });
    expect(parseFaultRule('html/3')).toEqual({ fault: 'html', every: 3 });
    expect(parseFaultRule('storm:10000')).toEqual({ fault: 'storm', ms: 10_000 });
    expect(() => parseFaultRule('storm')).toThrow(/storm needs a duration in ms/);
    expect(() => parseFaultRule('teapot')).toThrow(/unknown fault "teapot"/);
    expect(() => parseFaultRule('reset:0')).toThrow(/at least 1/);
  });

  it('every 2nd request cut mid-body: a run of 4 calls sees faults on requests 2 and 4 and recovers from both', async () => {
    const api = API_CASES[0]!;
    applyFaultRule(server, parseFaultRule('reset-mid-body/2'));
    server.fallback(api.route, { body: replyBody(api.route, { text: 'ok' }) });
    const provider = providerFor(api, server, { maxRetries: 1, retryBaseDelayMs: 1 });
    // Requests 1 ok; 2 cut, 3 ok (retry); 4 cut, 5 ok (retry).
    const retries = [];
    for (let i = 0; i < 3; i++) retries.push((await provider.generate(request)).retries);
    expect(retries).toEqual([0, 1, 1]);
    expect(server.requests).toHaveLength(5);
  });
});
