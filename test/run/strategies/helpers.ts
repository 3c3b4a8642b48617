import { join } from 'node:path';
import type { Variant } from '../../../harness/scenarios/load-variants.js';
import { createProvider } from '../../../harness/providers/registry.js';
import type { ModelRequest, ModelResponse, Provider } from '../../../harness/providers/types.js';
import type { SessionRecord } from '../../../harness/core/run-file/records.js';
import { loadScenarioFile } from '../../../harness/scenarios/load-scenarios.js';
import type { Scenario } from '../../../harness/scenarios/types.js';
import { fixtureVariant } from '../../helpers.js';

export const STRATEGY_FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'strategies');
export const SUITE = join(import.meta.dirname, '..', '..', '..', 'scenarios');

export function strategyScenario(name: string, dir = STRATEGY_FIXTURES): Scenario {
  const { scenario, issues } = loadScenarioFile(join(dir, `${name}.yaml`));
  if (!scenario) throw new Error(issues.map((i) => `${i.file} ${i.path}: ${i.message}`).join('\n'));
  return scenario;
}

/** The plain fixture prompt driven by `strategy` with `options`. */
export function strategyVariant(strategy: string, options: Record<string, unknown> = {}): Variant {
  return { ...fixtureVariant(), id: strategy, strategy, strategyOptions: options };
}

/** Wraps a provider and keeps every request it got. */
export function recording(inner: Provider): Provider & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    id: inner.id,
    kind: inner.kind,
    requests,
    generate: (request, signal) => {
      requests.push(request);
      return inner.generate(request, signal);
    },
  };
}

export function reference(policy: string, scenario: Scenario): Provider & { requests: ModelRequest[] } {
  return recording(createProvider(policy).forScenario(scenario));
}

export const text = (t: string): ModelResponse => ({ parts: [{ type: 'text', text: t }], finishReason: 'stop', usage: { inputTokens: 100, outputTokens: 10 } });

export const calls = (...cs: [string, Record<string, unknown>][]): ModelResponse => ({
  parts: cs.map(([name, args], i) => ({ type: 'tool-call', id: `c${i + 1}_${name}`, name, args, rawArgs: JSON.stringify(args) })),
  finishReason: 'tool-calls',
  usage: { inputTokens: 100, outputTokens: 10 },
});

/** Per turn: the phase and the calls (node, or tool name when unmatched) with `!` marking a tool error. */
export function turnShape(record: SessionRecord): { phase: string; calls: string[] }[] {
  return record.turns.map((t) => ({ phase: t.phase ?? '', calls: t.calls.map((c) => `${c.node ?? c.name}${c.isError ? '!' : ''}`) }));
}

/** Chain calls as `wave:step=node` (node, or tool name when unmatched; `!` marks an error). */
export function chainShape(record: SessionRecord): string[] {
  return (record.chainCalls ?? []).map((c) => `${c.wave}:${c.step}=${c.node ?? c.name}${c.isError ? '!' : ''}`);
}
