import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { EXIT } from '../../harness/cli/io.js';
import { referenceResponder } from '../../testing/wire/reference-responder.js';
import { applyFaultRule } from '../../testing/wire/wire-faults.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { PROJECT } from '../helpers.js';
import { API_CASES, KEY_ENV } from './apis.js';
import { FAKE_KEY } from './helpers.js';

/**
 * A model provider's sessions wait for its first answer: a refused key or an
 * unknown model costs one request however high the concurrency, and the rest
 * of that provider's sessions are recorded as skipped. A healthy provider
 * still runs its sessions side by side once it has answered.
 */
const SCENARIOS = join(PROJECT, 'scenarios');
const PROMPTS = join(PROJECT, 'prompts');
const scenarios = loadScenariosOrThrow([SCENARIOS]);
let server: WireServer | undefined;
let out: string;

beforeAll(() => {
  process.env[KEY_ENV] = FAKE_KEY;
  out = mkdtempSync(join(tmpdir(), 'bb-gate-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(api: (typeof API_CASES)[number], runId: string, fault?: string): Promise<{ code: number; err: string; statuses: string[]; requests: number }> {
  server = await WireServer.start();
  server.fallback(api.route, referenceResponder(api.route, scenarios, { delayMs: 20 }));
  if (fault !== undefined) applyFaultRule(server, { fault: fault as '401' });
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), isTTY: false };
  const code = await main(
    ['run', '--provider', `${api.prefix}:test-model`, '--base-url', api.baseUrl(server), '--api-key-env', KEY_ENV, '--scenarios', SCENARIOS, '--prompts', PROMPTS,
      '--variants', 'plain', '--repeats', '2', '--concurrency', '8', '--out', out, '--run-id', runId, '-q'],
    io,
  );
  const statuses = readRun(join(out, runId)).sessions.map((s) => s.status);
  return { code, err: lines.join('\n'), statuses, requests: server.requests.length };
}

describe('the first answer of a model provider opens its other sessions', () => {
  for (const api of API_CASES) {
    it(`${api.name}: a refused key costs one request at concurrency 8; the other sessions are skipped`, async () => {
      const r = await runAgainst(api, `key-${api.prefix}`, '401');
      expect(r.requests).toBe(1);
      expect(r.code).toBe(EXIT.errored);
      expect(r.statuses.filter((s) => s === 'errored')).toHaveLength(1);
      expect(r.statuses.filter((s) => s === 'skipped')).toHaveLength(r.statuses.length - 1);
      expect(r.statuses.length).toBe(scenarios.length * 2);
      expect(r.err).toContain(`the API refused the key in ${KEY_ENV}`);
    });
  }

  it('a healthy provider answers every session, with sessions overlapping once it has answered', async () => {
    const api = API_CASES[0] as (typeof API_CASES)[number];
    const r = await runAgainst(api, 'healthy');
    expect(r.code).toBe(EXIT.ok);
    expect(new Set(r.statuses)).toEqual(new Set(['completed']));
    // Requests of different sessions were in flight at once after the first answer: some request arrived
    // before the previous one was answered (each answer takes 20 ms).
    const at = (server as WireServer).requests.map((q) => q.at);
    const overlapping = at.slice(1).filter((t, i) => t - (at[i] as number) < 15).length;
    expect(overlapping).toBeGreaterThan(0);
  });
});
