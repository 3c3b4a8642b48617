import { describe, expect, it } from 'vitest';
import { ScriptedProvider } from '../../harness/providers/scripted.js';
import type { ToolExecutor, ToolOutcome } from '../../harness/scenarios/mock-tools.js';
import { fixtureScenario, session } from '../helpers.js';

/** A tool executor whose calls really take time, recording when each starts and ends. */
function timedExecutor(delays: Record<string, number>): ToolExecutor & { log: { service: string; start: number; end: number }[] } {
  const log: { service: string; start: number; end: number }[] = [];
  return {
    log,
    async execute(_name, args): Promise<ToolOutcome> {
      const service = String(args?.['service']);
      const start = performance.now();
      await new Promise((r) => setTimeout(r, delays[service] ?? 0));
      log.push({ service, start, end: performance.now() });
      return { content: `status of ${service}`, isError: false, latencyMs: 0 };
    },
  };
}

describe('concurrent tool execution', () => {
  it('starts every call of a turn before any finishes, and returns results in call order', async () => {
    const scenario = fixtureScenario('fan-out');
    const order = ['api', 'db', 'cache', 'queue'];
    // The first call is the slowest, so completion order is the reverse of call order.
    const tools = timedExecutor({ api: 120, db: 90, cache: 60, queue: 30 });
    const provider = new ScriptedProvider([
      {
        parts: order.map((service, i) => ({ type: 'tool-call', id: `c${i}`, name: 'service_status', args: { service }, rawArgs: JSON.stringify({ service }) })),
        finishReason: 'tool-calls',
        usage: { inputTokens: 10, outputTokens: 10 },
      },
      { parts: [{ type: 'text', text: 'done' }], finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 10 } },
    ]);
    const record = await session(scenario, provider, { tools });

    const lastStart = Math.max(...tools.log.map((l) => l.start));
    const firstEnd = Math.min(...tools.log.map((l) => l.end));
    expect(lastStart).toBeLessThan(firstEnd);
    expect(tools.log.map((l) => l.service)).toEqual(['queue', 'cache', 'db', 'api']);

    const toolMessage = provider.requests[1]?.messages.find((m) => m.role === 'tool');
    expect(toolMessage?.role === 'tool' && toolMessage.results.map((r) => r.callId)).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(toolMessage?.role === 'tool' && toolMessage.results.map((r) => r.content)).toEqual(order.map((s) => `status of ${s}`));
    expect(record.turns[0]?.calls.map((c) => c.node)).toEqual(order);
  });
});

describe('concurrency per provider', () => {
  it('a slow provider does not hold the session slots of a fast one', async () => {
    const { createProvider } = await import('../../harness/providers/registry.js');
    const { runSuite } = await import('../../harness/run/run-suite.js');
    const { fixtureVariant, PROJECT } = await import('../helpers.js');
    const { loadScenariosOrThrow } = await import('../../harness/scenarios/load-scenarios.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const inner = createProvider('ref:sequential');
    const slow = {
      id: 'slow',
      kind: 'scripted' as const,
      forScenario: (s: Parameters<typeof inner.forScenario>[0]) => {
        const p = inner.forScenario(s);
        return { id: 'slow', kind: 'scripted' as const, generate: async (r: Parameters<typeof p.generate>[0]) => (await new Promise((ok) => setTimeout(ok, 40)), p.generate(r)) };
      },
    };
    const finished: string[] = [];
    await runSuite({
      scenarios: loadScenariosOrThrow([join(PROJECT, 'scenarios')]),
      variants: [fixtureVariant()],
      providers: [slow, createProvider('ref:optimal')],
      repeats: 2,
      concurrency: 1,
      seed: 1,
      outDir: mkdtempSync(join(tmpdir(), 'bb-per-provider-')),
      modelLatencyMs: 0,
      maxTurns: 10,
      onSession: (record) => finished.push(record.provider.id),
    });
    // With one slot per provider, all 6 sessions of the instant provider finish
    // while the slow one is still in its first session (4+ turns of 40 ms).
    expect(finished.slice(0, 6)).toEqual(Array(6).fill('ref:optimal'));
    expect(finished.filter((id) => id === 'slow')).toHaveLength(6);
  });
});
