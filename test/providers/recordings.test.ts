import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { parseReferencePolicy } from '../../harness/providers/reference/reference-policy.js';
import { referenceResponder } from '../../testing/wire/reference-responder.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { API_CASES, KEY_ENV } from './apis.js';
import { FAKE_KEY } from './helpers.js';

/**
 * The recorded set shipped in fixtures/recordings/wire-demo must replay offline
 * through the CLI. Regenerate it (against the wire server answering like
 * ref:stochastic:0.5) with:
 *
 *   BATCHBENCH_REGENERATE_RECORDINGS=1 npx vitest run test/providers/recordings.test.ts
 */
const SET = join('fixtures', 'recordings', 'wire-demo');
const REGENERATE = process.env.BATCHBENCH_REGENERATE_RECORDINGS === '1';
const io = { lines: [] as string[], out(l: string) { this.lines.push(l); }, err(l: string) { this.lines.push(l); }, isTTY: false };
const out = mkdtempSync(join(tmpdir(), 'bb-demo-'));

const cli = (runId: string, ...args: string[]): Promise<number> =>
  main(['run', '--scenarios', join(SET, 'scenarios'), '--prompts', join(SET, 'prompts'), '--repeats', '1', '--seed', '7', '--out', out, '--run-id', runId, '-q', ...args], io);

let server: WireServer | undefined;
beforeAll(async () => {
  if (!REGENERATE) return;
  process.env[KEY_ENV] = FAKE_KEY;
  server = await WireServer.start();
  const scenarios = loadScenariosOrThrow([join(SET, 'scenarios')]);
  const policy = parseReferencePolicy('stochastic:0.5');
  for (const api of API_CASES) server.fallback(api.route, referenceResponder(api.route, scenarios, { ...(policy ? { policy } : {}), delayMs: 5 }));
});
afterAll(() => server?.close());

describe.each(API_CASES)('recorded set wire-demo/$prefix', (api) => {
  const dir = join(SET, api.prefix);

  it.runIf(REGENERATE)('is regenerated against the wire server', async () => {
    rmSync(dir, { recursive: true, force: true });
    const code = await cli(`record-${api.prefix}`, '--provider', `${api.prefix}:local-wire`, '--base-url', api.baseUrl(server as WireServer), '--api-key-env', KEY_ENV, '--record', dir);
    expect(code, io.lines.join('\n')).toBe(0);
  });

  it('replays offline to a complete run with provider-reported usage', async () => {
    expect(existsSync(dir)).toBe(true);
    const code = await cli(`replay-${api.prefix}`, '--provider', `${api.prefix}:local-wire`, '--replay', dir);
    expect(code, io.lines.join('\n')).toBe(0);
    const { sessions } = readRun(join(out, `replay-${api.prefix}`));
    expect(sessions).toHaveLength(4);
    expect(sessions.filter((s) => s.status === 'errored')).toEqual([]);
    expect(sessions.every((s) => s.turns.every((t) => !t.usage.estimated))).toBe(true);
    const files = readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile());
    expect(files.length).toBe(sessions.reduce((n, s) => n + s.turns.length, 0));
    for (const f of files) expect(readFileSync(join(f.parentPath, f.name), 'utf8')).not.toContain(FAKE_KEY);
  });
});
