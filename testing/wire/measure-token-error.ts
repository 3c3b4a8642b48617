import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { RUN_DEFAULTS } from '../../harness/config/run-settings.js';
import { loadVariants } from '../../harness/scenarios/load-variants.js';
import { runSession } from '../../harness/run/run-session.js';
import { maxTurns } from '../../harness/run/stop-rules.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';
import { createProvider } from '../../harness/providers/registry.js';
import { estimateInputTokens } from '../../harness/providers/token-estimate.js';
import type { ModelRequest, Provider } from '../../harness/providers/types.js';
import { wireInputTokens, wireToolTokens } from './openai-wire-count.js';

/**
 * The estimator's error against a count of the OpenAI wire rendering
 * (openai-wire-count.ts), over every request the reference policies send on
 * the default suite under every shipped variant, one repeat.
 * Run: npx tsx testing/wire/measure-token-error.ts
 */
export interface TokenErrorResult {
  requests: number;
  estimated: number;
  wire: number;
  /** estimated / wire − 1, all input tokens. */
  error: number;
  toolsEstimated: number;
  toolsWire: number;
  /** The same for the tool definitions alone. */
  toolsError: number;
}

export async function measureTokenError(scenarioDirs = ['scenarios'], promptDirs = ['prompts']): Promise<TokenErrorResult> {
  const scenarios = loadScenariosOrThrow(scenarioDirs);
  const { variants } = loadVariants(promptDirs);
  const r = { requests: 0, estimated: 0, wire: 0, toolsEstimated: 0, toolsWire: 0 };
  const count = (req: ModelRequest): void => {
    r.requests += 1;
    r.estimated += estimateInputTokens(req);
    r.wire += wireInputTokens(req);
    if (req.tools.length > 0) {
      r.toolsEstimated += countTokens(JSON.stringify(req.tools));
      r.toolsWire += wireToolTokens(req.tools, req.system !== '');
    }
  };
  for (const policy of ['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal']) {
    for (const variant of variants) {
      for (const s of scenarios) {
        const inner = createProvider(policy).forScenario(s, { expectsPlan: variant.expectsPlan });
        const provider: Provider = { id: inner.id, kind: inner.kind, generate: (req, signal) => (count(req), inner.generate(req, signal)) };
        await runSession({
          runId: 'token-error',
          scenario: s,
          variant,
          provider,
          repeat: 1,
          seed: 1,
          tools: new MockToolExecutor(s),
          stopRules: [maxTurns(s.maxTurns ?? RUN_DEFAULTS.maxTurns)],
          modelLatencyMs: 0,
        });
      }
    }
  }
  return { ...r, error: r.estimated / r.wire - 1, toolsError: r.toolsEstimated / r.toolsWire - 1 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureTokenError();
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  process.stdout.write(
    `${r.requests} requests: estimator ${r.estimated} input tokens, wire rendering ${r.wire}: ${pct(r.error)}; tool definitions ${r.toolsEstimated} vs ${r.toolsWire}: ${pct(r.toolsError)}\n`,
  );
}
