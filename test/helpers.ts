import { join } from 'node:path';
import type { CliIO } from '../harness/cli/io.js';
import { loadVariantFile, type Variant } from '../harness/scenarios/load-variants.js';
import { createProvider } from '../harness/providers/registry.js';
import type { Provider } from '../harness/providers/types.js';
import type { SessionRecord } from '../harness/core/run-file/records.js';
import { loadScenarioFile } from '../harness/scenarios/load-scenarios.js';
import { MockToolExecutor, type ToolExecutor } from '../harness/scenarios/mock-tools.js';
import type { Scenario } from '../harness/scenarios/types.js';
import { runSession } from '../harness/run/run-session.js';
import { maxTurns } from '../harness/run/stop-rules.js';

export const PROJECT = join(import.meta.dirname, 'fixtures', 'project');

export function fixtureScenario(name: string): Scenario {
  const { scenario, issues } = loadScenarioFile(join(PROJECT, 'scenarios', `${name}.yaml`));
  if (!scenario) throw new Error(issues.map((i) => `${i.file} ${i.path}: ${i.message}`).join('\n'));
  return scenario;
}

export function fixtureVariant(name = 'plain'): Variant {
  const { variant, issues } = loadVariantFile(join(PROJECT, 'prompts', `${name}.md`));
  if (!variant) throw new Error(issues.map((i) => i.message).join('\n'));
  return variant;
}

export interface SessionOptions {
  variant?: Variant;
  tools?: ToolExecutor;
  repeat?: number;
  seed?: number;
  maxTurns?: number;
  modelLatencyMs?: number;
}

/** Runs one session of `scenario` with a provider spec (e.g. `ref:optimal`) or a provider. */
export function session(scenario: Scenario, provider: string | Provider, opts: SessionOptions = {}): Promise<SessionRecord> {
  const variant = opts.variant ?? fixtureVariant();
  return runSession({
    runId: 'test',
    scenario,
    variant,
    provider: typeof provider === 'string' ? createProvider(provider).forScenario(scenario, { expectsPlan: variant.expectsPlan }) : provider,
    repeat: opts.repeat ?? 1,
    seed: opts.seed ?? 7,
    tools: opts.tools ?? new MockToolExecutor(scenario),
    stopRules: [maxTurns(opts.maxTurns ?? 10)],
    modelLatencyMs: opts.modelLatencyMs ?? 1000,
  });
}

/** Tool-call names per turn, e.g. [['a', 'b'], ['c'], []]. */
export function batches(record: SessionRecord): string[][] {
  return record.turns.map((t) => t.calls.map((c) => c.node ?? c.name));
}

/** A CLI output sink that keeps every line. */
export function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), isTTY: false };
}
