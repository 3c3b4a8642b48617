import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarisePlans } from '../../../harness/metrics/plan-metrics.js';
import { createProvider } from '../../../harness/providers/registry.js';
import { writeReports } from '../../../harness/reports/index.js';
import { readRun } from '../../../harness/core/run-file/run-files.js';
import { runSuite } from '../../../harness/run/run-suite.js';
import { fixtureVariant } from '../../helpers.js';
import { strategyScenario, strategyVariant } from './helpers.js';

describe('a run mixing prompt variants and strategies', () => {
  it('runs every strategy beside the prompt variants, and the reports show the strategy', async () => {
    const scenarios = ['fan-out', 'chain', 'diamond'].map((n) => strategyScenario(n));
    const variants = [
      fixtureVariant('plain'),
      fixtureVariant('together'),
      strategyVariant('budgeted', { max_turns: 5, max_tool_calls_per_turn: 2 }),
      strategyVariant('chain'),
      strategyVariant('hybrid'),
      strategyVariant('plan-execute'),
    ];
    const { dir } = await runSuite({
      scenarios,
      variants,
      providers: [createProvider('ref:optimal'), createProvider('ref:sequential')],
      repeats: 1,
      concurrency: 4,
      seed: 42,
      outDir: mkdtempSync(join(tmpdir(), 'bb-mixed-')),
      runId: 'mixed',
      modelLatencyMs: 800,
      maxTurns: 10,
    });
    const run = readRun(dir);
    expect(run.sessions).toHaveLength(2 * 6 * 3);
    expect(run.sessions.filter((s) => s.status !== 'completed').map((s) => s.key)).toEqual([]);
    expect(run.manifest.variants.map((v) => [v.id, v.strategy])).toEqual([
      ['plain', 'loop'],
      ['together', 'loop'],
      ['budgeted', 'budgeted'],
      ['chain', 'chain'],
      ['hybrid', 'hybrid'],
      ['plan-execute', 'plan-execute'],
    ]);
    // Model turns per strategy for ref:optimal on fan-out, chain, diamond.
    const turns = (variant: string): number[] =>
      ['s-fan-out', 's-chain', 's-diamond'].map((id) => run.sessions.find((s) => s.provider.id === 'ref:optimal' && s.variantId === variant && s.scenarioId === id)?.turns.length ?? -1);
    expect(turns('plain')).toEqual([2, 4, 4]);
    expect(turns('budgeted')).toEqual([3, 4, 4]);
    expect(turns('chain')).toEqual([1, 1, 1]);
    expect(turns('hybrid')).toEqual([2, 2, 2]); // fan-out has no hybrid steps: the loop's 2
    expect(turns('plan-execute')).toEqual([2, 2, 2]);

    const files = await writeReports(dir);
    const sessionsCsv = readFileSync(join(dir, 'sessions.csv'), 'utf8');
    for (const strategy of ['loop', 'budgeted', 'chain', 'hybrid', 'plan-execute']) expect(sessionsCsv).toContain(`,${strategy},`);
    const html = files.find((f) => f.endsWith('.html'));
    expect(html).toBeDefined();
    const page = readFileSync(html as string, 'utf8');
    for (const strategy of ['budgeted', 'hybrid', 'plan-execute']) expect(page).toContain(strategy);

    // Plan metrics per variant, from the run file alone (DAGs from the manifest).
    const dagOf = (id: string) => run.manifest.scenarios.find((s) => s.id === id)?.dag ?? [];
    const plans = summarisePlans(run.sessions, dagOf).filter((p) => p.variantId === 'plan-execute');
    expect(plans).toEqual([
      { providerId: 'ref:optimal', variantId: 'plan-execute', strategy: 'plan-execute', sessions: 3, parsed: 3, parseRate: 1, validRate: 1, meanGroups: (1 + 3 + 3) / 3, meanExtraGroups: 0, meanAdherence: 1 },
      // sequential plans: 4, 3, 4 groups (extra 3, 0, 1); adherence 1/4, 1, 2/4.
      { providerId: 'ref:sequential', variantId: 'plan-execute', strategy: 'plan-execute', sessions: 3, parsed: 3, parseRate: 1, validRate: 1, meanGroups: 11 / 3, meanExtraGroups: 4 / 3, meanAdherence: (0.25 + 1 + 0.5) / 3 },
    ]);
  });
});
