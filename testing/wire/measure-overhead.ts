import { createProvider } from '../../harness/providers/registry.js';
import type { ModelRequest } from '../../harness/providers/types.js';
import { replyBody } from './wire-replies.js';
import { WireServer, type WireRoute } from './wire-server.js';

/**
 * Harness overhead per model call: the median wall time of `provider.generate`
 * through the real SDK against the wire server answering instantly, next to a
 * bare `fetch` of the same body. Run: npx tsx testing/wire/measure-overhead.ts
 */
export interface OverheadResult {
  api: string;
  calls: number;
  medianMs: number;
  p90Ms: number;
  bareFetchMedianMs: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

export async function measureOverhead(calls = 300): Promise<OverheadResult[]> {
  const server = await WireServer.start();
  const apis: [string, WireRoute, string][] = [
    ['openai', 'chat', server.openaiBaseUrl],
    ['openai-responses', 'responses', server.openaiBaseUrl],
    ['anthropic', 'messages', server.anthropicBaseUrl],
  ];
  const request: ModelRequest = {
    system: 'You are an agent with tools.',
    messages: [{ role: 'user', content: 'Check the order and the ticket.' }],
    tools: [{ name: 'get_order', description: 'Look up an order.', parameters: { type: 'object', properties: { id: { type: 'integer' } } } }],
    options: { parallelToolCalls: true },
    context: { scenarioId: 's', variantId: 'v', repeat: 1, turn: 1, seed: 0 },
  };
  const results: OverheadResult[] = [];
  try {
    for (const [prefix, route, baseUrl] of apis) {
      const body = replyBody(route, { calls: [{ name: 'get_order', args: { id: 1 } }, { name: 'get_order', args: { id: 2 } }], usage: { input: 100, output: 20 } });
      server.fallback(route, { body });
      const provider = createProvider(`${prefix}:overhead`, { baseUrl }).forScenario(undefined as never);
      const sdk: number[] = [];
      const bare: number[] = [];
      const path = `${baseUrl}${route === 'chat' ? '/chat/completions' : route === 'responses' ? '/responses' : '/v1/messages'}`;
      for (let i = 0; i < calls + 20; i++) {
        let t = performance.now();
        await provider.generate(request);
        const a = performance.now() - t;
        t = performance.now();
        const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'x', messages: [] }) });
        await res.json();
        const b = performance.now() - t;
        if (i >= 20) {
          sdk.push(a);
          bare.push(b);
        }
      }
      results.push({ api: prefix, calls, medianMs: quantile(sdk, 0.5), p90Ms: quantile(sdk, 0.9), bareFetchMedianMs: quantile(bare, 0.5) });
    }
  } finally {
    await server.close();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await measureOverhead()) {
    process.stdout.write(
      `${r.api.padEnd(17)} median ${r.medianMs.toFixed(2)} ms  p90 ${r.p90Ms.toFixed(2)} ms  (bare fetch median ${r.bareFetchMedianMs.toFixed(2)} ms; ${r.calls} calls)\n`,
    );
  }
}
