import { join } from 'node:path';
import { loadVariantsOrThrow } from '../../harness/scenarios/load-variants.js';
import { ReferencePolicyProvider } from '../../harness/providers/reference/reference-policy.js';
import type { ModelRequest, ModelResponse, Provider } from '../../harness/providers/types.js';
import { runSession } from '../../harness/run/run-session.js';
import { maxTurns } from '../../harness/run/stop-rules.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';
import type { Scenario } from '../../harness/scenarios/types.js';
import { spread, time, type Figure } from '../lib.js';

/** A reference policy that also reports usage, so the loop does no token counting. */
function withUsage(inner: Provider): Provider {
  return {
    id: inner.id,
    kind: 'scripted',
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const r = await inner.generate(request);
      return { ...r, usage: { inputTokens: 1000, outputTokens: 50 } };
    },
  };
}

/** Harness CPU time per model turn: the loop, mocked tools and recording, with and without tokenizer counting. */
export async function loopOverhead(root: string, quick: boolean): Promise<Figure[]> {
  const scenarios = loadScenariosOrThrow([join(root, 'scenarios')]);
  const variant = loadVariantsOrThrow([join(root, 'prompts')])[0];
  if (!variant) throw new Error('no prompt variant');
  const turnsPerPass = { count: 0 };
  const pass = async (provider: (s: Scenario) => Provider): Promise<number> => {
    let turns = 0;
    for (const scenario of scenarios) {
      const record = await runSession({
        runId: 'bench',
        scenario,
        variant,
        provider: provider(scenario),
        repeat: 1,
        seed: 1,
        tools: new MockToolExecutor(scenario),
        stopRules: [maxTurns(20)],
        modelLatencyMs: 0,
      });
      turns += record.turns.length;
    }
    return turns;
  };
  turnsPerPass.count = await pass((s) => new ReferencePolicyProvider({ name: 'sequential' }, s));
  const opts = { time: quick ? 300 : 3000, iterations: quick ? 5 : 30 };
  const counted = await time('loop with tokenizer', () => pass((s) => new ReferencePolicyProvider({ name: 'sequential' }, s)), opts);
  const plain = await time('loop without tokenizer', () => pass((s) => withUsage(new ReferencePolicyProvider({ name: 'sequential' }, s))), opts);
  const perTurn = (ms: number): number => ms / turnsPerPass.count;
  return [
    {
      section: '2 loop overhead',
      name: 'per model turn, tokenizer counting included',
      value: perTurn(counted.median),
      unit: 'ms',
      target: { op: '<', limit: 1, label: '< 1 ms' },
      spread: spread({ ...counted, min: perTurn(counted.min), max: perTurn(counted.max) }, 'ms', 3),
      note: `${turnsPerPass.count} turns per pass (ref:sequential over ${scenarios.length} scenarios)`,
    },
    {
      section: '2 loop overhead',
      name: 'per model turn, provider-reported usage (no tokenizer)',
      value: perTurn(plain.median),
      unit: 'ms',
      target: { op: '<=', limit: 0.05, label: '<= 0.05 ms' },
      spread: spread({ ...plain, min: perTurn(plain.min), max: perTurn(plain.max) }, 'ms', 3),
    },
    {
      section: '2 loop overhead',
      name: 'tokenizer share of a turn',
      value: perTurn(counted.median) - perTurn(plain.median),
      unit: 'ms',
    },
  ];
}
