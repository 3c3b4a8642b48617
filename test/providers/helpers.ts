import { join } from 'node:path';
import type { Variant } from '../../harness/scenarios/load-variants.js';
import type { Provider } from '../../harness/providers/types.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { runSession } from '../../harness/run/run-session.js';
import { maxTurns } from '../../harness/run/stop-rules.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';
import type { Scenario } from '../../harness/scenarios/types.js';

export const FIXTURE_SCENARIOS = join(import.meta.dirname, 'fixtures', 'scenarios');

/** A recognisable fake key: no output, recording or error may ever contain it. */
export const FAKE_KEY = 'sk-batchbench-FAKE-KEY-0123456789abcdef';

export function fixtureScenarios(): Scenario[] {
  return loadScenariosOrThrow([FIXTURE_SCENARIOS]);
}

export function scenario(id: string): Scenario {
  const s = fixtureScenarios().find((x) => x.id === id);
  if (!s) throw new Error(`no fixture scenario ${id}`);
  return s;
}

export function variant(parallelToolCalls = true, id = parallelToolCalls ? 'parallel' : 'serial'): Variant {
  return {
    id,
    description: 'test variant',
    system: 'You are a careful agent. Call independent tools together.',
    userTemplate: '{{task}}',
    parallelToolCalls,
    strategy: 'loop',
    strategyOptions: {},
    expectsPlan: false,
    file: 'test',
    hash: 'test',
  };
}

export function session(provider: Provider, scn: Scenario, v: Variant = variant(), repeat = 1): Promise<SessionRecord> {
  return runSession({
    runId: 'test-run',
    scenario: scn,
    variant: v,
    provider,
    repeat,
    seed: 1,
    tools: new MockToolExecutor(scn),
    stopRules: [maxTurns(10)],
    modelLatencyMs: 0,
  });
}

/** Batch sizes per turn, e.g. [2, 1, 0]. */
export const batches = (record: SessionRecord): number[] => record.turns.map((t) => t.calls.length);
