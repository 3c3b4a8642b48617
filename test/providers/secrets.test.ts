import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../../harness/providers/registry.js';
import { readApiKey, scrubHeaders, secretsOf } from '../../harness/providers/secrets.js';
import { errorReply, replyBody } from '../../testing/wire/wire-replies.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import { API_CASES, providerFor, useWireServer } from './apis.js';
import { FAKE_KEY, scenario, session } from './helpers.js';

let server: WireServer;
useWireServer((s) => (server = s));

describe('API keys', () => {
  it('come from the named environment variable, else the vendor default', () => {
    expect(readApiKey({ apiKeyEnv: 'MY_KEY' }, 'OPENAI_API_KEY', { MY_KEY: 'k1', OPENAI_API_KEY: 'k2' })).toBe('k1');
    expect(readApiKey({}, 'OPENAI_API_KEY', { OPENAI_API_KEY: 'k2' })).toBe('k2');
    expect(readApiKey({ baseUrl: 'http://127.0.0.1:8000/v1' }, 'OPENAI_API_KEY', {})).toBe('no-key');
    // The placeholder is no secret: text mentioning it is left alone.
    expect(secretsOf('no-key')).toEqual([]);
    expect(secretsOf(FAKE_KEY)).toEqual([FAKE_KEY]);
    expect(() => readApiKey({}, 'ANTHROPIC_API_KEY', {})).toThrow(/set the environment variable ANTHROPIC_API_KEY/);
    // The hint uses the config file's own field name.
    expect(() => readApiKey({}, 'OPENAI_API_KEY', {})).toThrow('(or name another one with `api_key_env:` under the provider in batchbench.config.yaml, or --api-key-env)');
    expect(() => createProvider('anthropic:claude-x', { apiKeyEnv: 'BATCHBENCH_UNSET_KEY' })).toThrow(/BATCHBENCH_UNSET_KEY/);
    expect(() => createProvider('openai:', {})).toThrow(/names no model; write openai:<model>, e.g. openai:gpt-4o-mini/);
  });

  it('are removed from recorded headers', () => {
    const h = scrubHeaders(
      [
        ['Authorization', `Bearer ${FAKE_KEY}`],
        ['x-api-key', FAKE_KEY],
        ['api-key', FAKE_KEY],
        ['x-request-id', 'req_1'],
        ['x-echo', `key=${FAKE_KEY}`],
      ],
      [FAKE_KEY],
    );
    expect(h).toEqual({ authorization: '[redacted]', 'x-api-key': '[redacted]', 'api-key': '[redacted]', 'x-request-id': 'req_1', 'x-echo': 'key=[redacted]' });
  });
});

describe.each(API_CASES)('$name: the key never leaks', (api) => {
  it('not in an error message, even when the server echoes it', async () => {
    server.script(api.route, (req) => errorReply(api.route, 401, `Incorrect API key provided: ${String(req.headers.authorization ?? req.headers['x-api-key'])}`));
    const record = await session(providerFor(api, server), scenario('fan-in'));
    expect(record.status).toBe('errored');
    if (record.status !== 'errored') return;
    expect(record.error.statusCode).toBe(401);
    expect(record.error.message).toContain('Incorrect API key provided');
    expect(record.error.message).toContain('[redacted]');
    expect(JSON.stringify(record)).not.toContain(FAKE_KEY);
  });

  it('not in a recording, even when the response carries it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-secret-'));
    server.script(api.route, { headers: { 'x-echo': FAKE_KEY }, body: replyBody(api.route, { text: `echo ${FAKE_KEY}` }) });
    const response = await providerFor(api, server, { recordDir: dir }).generate({
      system: 's',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [],
      options: { parallelToolCalls: true },
      context: { scenarioId: 'x', variantId: 'y', repeat: 1, turn: 1, seed: 0 },
    });
    expect(response.parts).toEqual([{ type: 'text', text: 'echo [redacted]' }]);
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const text = readFileSync(join(dir, files[0] ?? ''), 'utf8');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(FAKE_KEY);
  });
});
