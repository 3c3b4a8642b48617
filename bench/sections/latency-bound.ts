import { join } from 'node:path';
import { loadVariantsOrThrow } from '../../harness/scenarios/load-variants.js';
import { createProvider } from '../../harness/providers/registry.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import type { Figure } from '../lib.js';

/**
 * Ideal wall time of sessions run in plan order on `slots` parallel slots, each
 * taking `turns x latency`: a list schedule, what a harness with no overhead achieves.
 * With `firstAnswerGate`, the run's rule for a model provider is kept: its first
 * session starts alone and the other slots open when that session's first call
 * returns (run-suite.ts), so a refused key costs one request; the gate's one call
 * is then part of the ideal, not of the harness's overhead.
 */
export function idealWallMs(turnsPerSession: readonly number[], latencyMs: number, slots: number, opts: { firstAnswerGate?: boolean } = {}): number {
  if (turnsPerSession.length === 0) return 0;
  const gate = opts.firstAnswerGate === true;
  const free = Array.from({ length: Math.max(1, slots) }, (_, i) => (gate && i > 0 ? latencyMs : 0));
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
  // The server runs in a process of its own, so its work (decoding, tokenizing, the policy) does not
  // share the harness's event loop: the ratio then measures the harness, not the test server.
  const server = await startServer(root, opts.latencyMs);
  const previousKey = process.env['OPENAI_API_KEY'];
  process.env['OPENAI_API_KEY'] = 'sk-bench-local-wire-server';
  try {
    const provider = createProvider('openai:bench-wire', { baseUrl: server.baseUrl, maxRetries: 0 });
    // One request first, so that one-time start-up (the SDK client, the server's tokenizer) is not timed.
    const warm = scenarios[0];
    const variant = variants[0];
    if (warm && variant) {
      await provider.forScenario(warm).generate({
        system: variant.system,
        messages: [{ role: 'user', content: warm.task }],
        tools: warm.tools.map((t) => t.definition),
        options: { parallelToolCalls: true },
        context: { scenarioId: warm.id, variantId: variant.id, repeat: 0, turn: 1, seed: 0 },
      });
    }
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
    const turns = sessions.map((s) => s.turns.length);
    const ideal = idealWallMs(turns, opts.latencyMs, opts.concurrency, { firstAnswerGate: true });
    const ungated = idealWallMs(turns, opts.latencyMs, opts.concurrency);
    // Where the gap to the ideal goes: each model call's round trip (SDK, HTTP, the server's answer) against the
    // latency asked for, and the harness's own time in a session outside its model calls.
    const calls = sessions.flatMap((s) => s.turns.map((t) => t.realLatencyMs)).sort((a, b) => a - b);
    const between = sessions.map((s) => Date.parse(s.finishedAt) - Date.parse(s.startedAt) - s.turns.reduce((a, t) => a + t.realLatencyMs, 0)).sort((a, b) => a - b);
    const at = (xs: readonly number[], q: number): number => xs[Math.floor(q * (xs.length - 1))] ?? Number.NaN;
    const name = `openai SDK vs wire server, ${opts.latencyMs} ms/response, concurrency ${opts.concurrency}`;
    return [
      {
        section: '5 latency-bound',
        name: `${name}: actual / ideal wall time`,
        value: wall / ideal,
        unit: 'x',
        target: { op: '<=', limit: 1.1, label: '<= 1.10' },
        note:
          `${sessions.length} sessions, ${sessions.reduce((n, s) => n + s.turns.length, 0)} model calls, actual ${(wall / 1000).toFixed(2)} s, ideal ${(ideal / 1000).toFixed(2)} s${errored > 0 ? `, ${errored} errored` : ''} ` +
          `(the first session's first call alone, as the first-answer gate runs it, then every slot); ` +
          `a call's round trip median ${at(calls, 0.5).toFixed(1)} ms, p90 ${at(calls, 0.9).toFixed(1)} ms (${opts.latencyMs} asked); harness time per session outside its calls median ${at(between, 0.5).toFixed(1)} ms`,
      },
      {
        section: '5 latency-bound',
        name: `${name}: actual / ideal without the first-answer gate`,
        value: wall / ungated,
        unit: 'x',
        note: `ideal ${(ungated / 1000).toFixed(2)} s with every slot busy from the start; the gate's one call alone costs ${((ideal - ungated) / 1000).toFixed(2)} s of the ideal here, once per model provider and run`,
      },
    ];
  } finally {
    if (previousKey === undefined) delete process.env['OPENAI_API_KEY'];
    else process.env['OPENAI_API_KEY'] = previousKey;
    server.process.kill();
  }
}

async function startServer(root: string, latencyMs: number): Promise<{ baseUrl: string; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'testing', 'wire', 'serve.ts'), '--scenarios', join(root, 'scenarios'), '--policy', 'stochastic:0.5', '--port', '0', '--latency-ms', String(latencyMs)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const started = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wire server did not start: ${out}`)), 20_000);
    child.once('exit', () => reject(new Error(`wire server exited: ${out}`)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const url = /--base-url (\S+\/v1)/.exec(out)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    });
  });
  return { baseUrl: await started, process: child };
}
