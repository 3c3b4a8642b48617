import { join } from 'node:path';
import { loadVariantsOrThrow } from '../../harness/prompts/load-variants.js';
import { createProvider } from '../../harness/providers/registry.js';
import { referenceResponder } from '../../harness/providers/testing/reference-responder.js';
import { WireServer } from '../../harness/providers/testing/wire-server.js';
import { readRun } from '../../harness/run/run-files.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import type { Figure } from '../lib.js';

/**
 * Ideal wall time of sessions run in plan order on `slots` parallel slots, each
 * taking `turns x latency`: a list schedule, what a harness with no overhead achieves.
 */
export function idealWallMs(turnsPerSession: readonly number[], latencyMs: number, slots: number): number {
  const free = Array.from({ length: slots }, () => 0);
  for (const turns of turnsPerSession) {
    let i = 0;
    for (let j = 1; j < free.length; j++) if ((free[j] as number) < (free[i] as number)) i = j;
    free[i] = (free[i] as number) + turns * latencyMs;
  }
  return Math.max(...free);
}

/** The OpenAI provider through the real SDK against the local wire server adding `latencyMs` per response. */
export async function latencyBound(root: string, outDir: string, opts: { latencyMs: number; concurrency: number; repeats: number; variants?: number }): Promise<Figure[]> {
  const scenarios = loadScenariosOrThrow([join(root, 'scenarios')]);
  const variants = loadVariantsOrThrow([join(root, 'prompts')]).slice(0, opts.variants ?? Number.POSITIVE_INFINITY);
  const server = await WireServer.start();
  server.fallback('chat', referenceResponder('chat', scenarios, { policy: { name: 'stochastic', p: 0.5 }, delayMs: opts.latencyMs }));
  const previousKey = process.env['OPENAI_API_KEY'];
  process.env['OPENAI_API_KEY'] = 'sk-bench-local-wire-server';
  try {
    const provider = createProvider('openai:bench-wire', { baseUrl: server.openaiBaseUrl, maxRetries: 0 });
    const started = performance.now();
    const { dir } = await runSuite({
      scenarios,
      variants,
      providers: [provider],
      repeats: opts.repeats,
      concurrency: opts.concurrency,
      seed: 1,
      outDir,
      runId: 'latency-bound',
      modelLatencyMs: opts.latencyMs,
      maxTurns: 20,
    });
    const wall = performance.now() - started;
    const sessions = readRun(dir).sessions;
    const errored = sessions.filter((s) => s.status === 'errored').length;
    const ideal = idealWallMs(sessions.map((s) => s.turns.length), opts.latencyMs, opts.concurrency);
    return [
      {
        section: '5 latency-bound',
        name: `openai SDK vs wire server, ${opts.latencyMs} ms/response, concurrency ${opts.concurrency}: actual / ideal wall time`,
        value: wall / ideal,
        unit: 'x',
        target: { op: '<=', limit: 1.1, label: '<= 1.10' },
        note: `${sessions.length} sessions, ${sessions.reduce((n, s) => n + s.turns.length, 0)} model calls, actual ${(wall / 1000).toFixed(2)} s, ideal ${(ideal / 1000).toFixed(2)} s${errored > 0 ? `, ${errored} errored` : ''}`,
      },
    ];
  } finally {
    if (previousKey === undefined) delete process.env['OPENAI_API_KEY'];
    else process.env['OPENAI_API_KEY'] = previousKey;
    await server.close();
  }
}
