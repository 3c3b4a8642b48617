import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { referenceResponder } from '../../testing/wire/reference-responder.js';
import { WireServer } from '../../testing/wire/wire-server.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { API_CASES, KEY_ENV } from '../providers/apis.js';
import { FAKE_KEY } from '../providers/helpers.js';

/**
 * `batchbench run` end to end over the default suite: a model provider whose
 * wire server answers like `ref:optimal` must give the same turns, calls and
 * batching as `ref:optimal` itself; a recording must replay to the same metrics;
 * no file written may contain the API key.
 */
const PROMPTS = join(import.meta.dirname, '..', 'providers', 'fixtures', 'prompts');
const SUITE = 'scenarios';

let server: WireServer;
let out: string;
const io = { lines: [] as string[], out(l: string) { this.lines.push(l); }, err(l: string) { this.lines.push(l); }, isTTY: false };

beforeAll(async () => {
  process.env[KEY_ENV] = FAKE_KEY;
  server = await WireServer.start();
  const scenarios = loadScenariosOrThrow([SUITE]);
  for (const api of API_CASES) server.fallback(api.route, referenceResponder(api.route, scenarios));
  out = mkdtempSync(join(tmpdir(), 'bb-e2e-'));
});
afterAll(() => server.close());

async function run(runId: string, ...args: string[]): Promise<SessionRecord[]> {
  const code = await main(['run', '--scenarios', SUITE, '--prompts', PROMPTS, '--repeats', '1', '--out', out, '--run-id', runId, '-q', '--api-key-env', KEY_ENV, ...args], io);
  expect(code, io.lines.join('\n')).toBe(0);
  return readRun(join(out, runId)).sessions;
}

/** What must match between runs: per session, the batch of every turn (names and args) and the headline metrics. */
function shape(sessions: SessionRecord[]): Record<string, unknown> {
  const byKey: Record<string, unknown> = {};
  for (const s of sessions) {
    const m = sessionMetrics(s);
    byKey[`${s.variantId}|${s.scenarioId}`] = {
      status: s.status,
      batches: s.turns.map((t) => t.calls.map((c) => `${c.name}${c.rawArgs}`)),
      turns: m.turns,
      toolCalls: m.toolCalls,
      batchingRate: m.batchingRate,
      overhead: m.overhead,
    };
  }
  return byKey;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('batchbench run against the wire server scripted from ref:optimal', () => {
  let reference: Record<string, unknown>;

  beforeAll(async () => {
    reference = shape(await run('reference', '--provider', 'ref:optimal'));
    // The comparison means something: most reference sessions succeed, some batch.
    const rows = Object.values(reference) as { status: string; batchingRate: number }[];
    expect(rows.filter((r) => r.status === 'completed').length).toBeGreaterThan(rows.length / 2);
    expect(rows.some((r) => r.batchingRate > 0)).toBe(true);
  });

  it.each(API_CASES)('$name gives the same turns, calls and batching rate as ref:optimal', async (api) => {
    const before = server.requests.length;
    const sessions = await run(`model-${api.prefix}`, '--provider', `${api.prefix}:wire-model`, '--base-url', api.baseUrl(server));
    expect(sessions.length).toBe(Object.keys(reference).length);
    expect(sessions.every((s) => s.provider.kind === 'model')).toBe(true);
    expect(shape(sessions)).toEqual(reference);
    // Every turn went over the wire, with provider-reported usage.
    const turns = sessions.reduce((n, s) => n + s.turns.length, 0);
    expect(server.requests.length - before).toBe(turns);
    expect(sessions.every((s) => s.turns.every((t) => !t.usage.estimated))).toBe(true);
  });

  it('a recording replays to identical metrics with no network, and no file holds the key', async () => {
    const recordings = mkdtempSync(join(tmpdir(), 'bb-rec-'));
    const recorded = await run('recorded', '--provider', 'anthropic:wire-model', '--base-url', server.anthropicBaseUrl, '--record', recordings);
    const before = server.requests.length;
    // A base URL nobody listens on: replay must not need it.
    const replayed = await run('replayed', '--provider', 'anthropic:wire-model', '--base-url', 'http://127.0.0.1:9', '--replay', recordings);
    expect(server.requests.length).toBe(before);

    const metrics = (ss: SessionRecord[]) =>
      Object.fromEntries(ss.map((s) => [`${s.variantId}|${s.scenarioId}`, { ...sessionMetrics(s), realMs: 0, turnsDetail: s.turns.map((t) => ({ ...t, realLatencyMs: 0 })) }]));
    expect(metrics(replayed)).toEqual(metrics(recorded));
    expect(readdirSync(recordings).length).toBeGreaterThan(0);

    // The key did reach the server (so the grep below means something) ...
    expect(server.requests.some((r) => JSON.stringify(r.headers).includes(FAKE_KEY))).toBe(true);
    // ... and appears in no recording, run file or report.
    const files = [...filesUnder(recordings), ...filesUnder(out)];
    expect(files.length).toBeGreaterThan(10);
    const leaks = files.filter((f) => readFileSync(f, 'utf8').includes(FAKE_KEY));
    expect(leaks).toEqual([]);
  });
});
