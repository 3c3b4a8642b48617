import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionMetrics, type SessionMetrics } from '../../harness/metrics/session-metrics.js';
import { loadVariants, type Variant } from '../../harness/scenarios/load-variants.js';
import { createProvider } from '../../harness/providers/registry.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { runSession } from '../../harness/run/run-session.js';
import { maxTurns } from '../../harness/run/stop-rules.js';
import { loadScenarios } from '../../harness/scenarios/load-scenarios.js';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';
import type { Scenario } from '../../harness/scenarios/types.js';

/** The shipped suite (scenarios/ and scenarios/bfcl/) under the shipped variants, played by the three reference policies. */
const ROOT = join(import.meta.dirname, '..', '..');
const POLICIES = ['ref:sequential', 'ref:optimal', 'ref:stochastic:0.5'];

interface Played {
  label: string;
  record: SessionRecord;
  m: SessionMetrics;
}

async function play(scenarios: readonly Scenario[], variants: readonly Variant[], policies: readonly string[] = POLICIES): Promise<Played[]> {
  const out: Played[] = [];
  for (const s of scenarios) {
    const expectations = { dag: s.expectedCalls.map((c) => ({ id: c.id, tool: c.tool, args: c.args, needs: c.needs })), requiredCalls: s.success.requiredCalls };
    for (const v of variants) {
      for (const policy of policies) {
        const record = await runSession({
          runId: 'reference-waste',
          scenario: s,
          variant: v,
          provider: createProvider(policy).forScenario(s),
          repeat: 0,
          seed: 3,
          tools: new MockToolExecutor(s),
          stopRules: [maxTurns(40)],
          modelLatencyMs: 0,
        });
        out.push({ label: `${s.id} ${v.id} ${policy} (${record.status})`, record, m: sessionMetrics(record, expectations) });
      }
    }
  }
  return out;
}

const figures = (p: Played) => `${p.label}: ${p.m.duplicateCalls} dup, ${p.m.unexpectedCalls} unexpected, ${p.m.failedCalls} failed, ${p.m.wastedInputTokens} wasted, precision ${p.m.trajectoryPrecision}, recall ${p.m.trajectoryRecall}`;

describe('reference policies waste nothing on the whole suite', () => {
  let suite: Played[];
  let bfcl: Played[];
  let budgeted: Played[];
  let mainCount = 0;
  beforeAll(async () => {
    const main = loadScenarios([join(ROOT, 'scenarios')]).scenarios;
    const imported = loadScenarios([join(ROOT, 'scenarios', 'bfcl')]).scenarios;
    const { variants } = loadVariants([join(ROOT, 'prompts'), join(ROOT, 'prompts', 'strategies')]);
    expect(main.length).toBeGreaterThanOrEqual(24);
    expect(imported.length).toBeGreaterThanOrEqual(150);
    const budget = variants.filter((v) => v.strategy === 'budgeted');
    suite = await play(main, variants.filter((v) => v.strategy !== 'budgeted'));
    bfcl = await play(imported, variants.filter((v) => v.id === 'baseline'), ['ref:sequential', 'ref:optimal']);
    budgeted = await play(main, budget);
    mainCount = main.length;
  }, 60_000);

  it('every scenario x loop, chain, hybrid and plan-execute variant x policy: no duplicate, unexpected or failed call, no wasted token, precision 1', () => {
    // 27 scenarios x 9 variants x 3 policies, and the imported BFCL scenarios under the baseline prompt with sequential and optimal.
    for (const p of [...suite, ...bfcl]) {
      expect(figures(p)).toBe(`${p.label}: 0 dup, 0 unexpected, 0 failed, 0 wasted, precision 1, recall ${p.m.trajectoryRecall}`);
    }
    expect(suite.length + bfcl.length).toBeGreaterThan(1000);
  });

  it('recall 1 on every session but one: ref:sequential under the hybrid strategy on coding-pr-prep, which fails after its gather turn', () => {
    const short = [...suite, ...bfcl].filter((p) => p.m.trajectoryRecall !== 1);
    expect(short.map(figures)).toEqual(['coding-pr-prep hybrid ref:sequential (failed): 0 dup, 0 unexpected, 0 failed, 0 wasted, precision 1, recall 0.5']);
  });

  it('BFCL tasks that ask for one call twice (bfcl-parallel-158: two draws of each of two distributions) are not duplicates', () => {
    const draws = bfcl.filter((p) => p.label.startsWith('bfcl-parallel-158 '));
    expect(draws).toHaveLength(2);
    for (const p of draws) expect(p.m).toMatchObject({ toolCalls: 4, duplicateCalls: 0, trajectoryPrecision: 1, trajectoryRecall: 1 });
  });

  it('under the 5 x 5 budget: still no duplicate or unexpected call; every failed call is a call refused as over budget', () => {
    expect(budgeted).toHaveLength(mainCount * 3);
    for (const p of budgeted) {
      expect(figures(p)).toMatch(/: 0 dup, 0 unexpected, /);
      const failed = [...p.record.turns.flatMap((t) => t.calls)].filter((c) => c.isError);
      expect(failed.every((c) => c.errorKind === 'over-budget'), p.label).toBe(true);
      // A session stopped short by the budget before making every required call is failed, never completed.
      if (p.m.trajectoryRecall < 1) expect(p.record.status, p.label).toBe('failed');
    }
  });
});
