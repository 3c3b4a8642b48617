import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../../harness/core/run-file/records.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { planMetrics } from '../../harness/metrics/plan-metrics.js';
import type { ProviderHandle } from '../../harness/providers/registry.js';
import { ScriptedProvider } from '../../harness/providers/scripted.js';
import type { ModelResponse } from '../../harness/providers/types.js';
import { reportRun } from '../../harness/reports/index.js';
import { runPlanSummaries } from '../../harness/metrics/plan-metrics.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { loadVariants } from '../../harness/scenarios/load-variants.js';
import { tempDir } from '../cli/helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CITIES: [string, string][] = [
  ['Porto', '2026-11-30'],
  ['Coimbra', '2026-12-01'],
  // The scenario expects `Lisbon` and accepts `Lisboa` (`accept: { city: [Lisbon, Lisboa] }`).
  ['Lisboa', '2026-12-02'],
  ['Lagos', '2026-12-03'],
];
const PLAN = { parallel_groups: [CITIES.map(([city, date]) => `get_weather_forecast(city=${JSON.stringify(city)}, date=${JSON.stringify(date)})`)] };

/** A json-plan model: the plan and its one group of four forecasts in the first response, then the answer. */
const SCRIPT: ModelResponse[] = [
  {
    parts: [
      { type: 'text', text: `\`\`\`json\n${JSON.stringify(PLAN)}\n\`\`\`` },
      ...CITIES.map(([city, date], i) => ({ type: 'tool-call' as const, id: `c${i + 1}`, name: 'get_weather_forecast', args: { city, date }, rawArgs: JSON.stringify({ city, date }) })),
    ],
    finishReason: 'tool-calls',
    usage: { inputTokens: 900, outputTokens: 120 },
  },
  {
    parts: [{ type: 'text', text: 'Porto: light rain.\nCoimbra: sunny spells.\nLisbon: dry and bright, 18 °C.\nLagos: heavy showers, gusts to 75 km/h and a yellow warning: skip the cliff walk.' }],
    finishReason: 'stop',
    usage: { inputTokens: 1400, outputTokens: 60 },
  },
];

const scripted: ProviderHandle = { id: 'scripted:lisboa', kind: 'scripted', forScenario: () => new ScriptedProvider(SCRIPT, 'scripted:lisboa') };

describe('a plan that uses an accepted value (Lisboa for Lisbon)', () => {
  let dir: string;
  beforeAll(async () => {
    const { variants } = loadVariants([join(ROOT, 'prompts', 'json-plan.md')]);
    const result = await runSuite({
      scenarios: loadScenariosOrThrow([join(ROOT, 'scenarios', 'travel-weather-cities.yaml')]),
      variants,
      providers: [scripted],
      repeats: 1,
      concurrency: 1,
      seed: 1,
      outDir: tempDir('plan-accept'),
      runId: 'lisboa',
      modelLatencyMs: 800,
      maxTurns: 10,
    });
    dir = result.dir;
  });

  it('the run file keeps the accepted values of the task graph', () => {
    const run = readRun(dir);
    const lisbon = run.manifest.scenarios[0]?.dag.find((n) => n.id === 'lisbon');
    expect(lisbon).toEqual({ id: 'lisbon', tool: 'get_weather_forecast', args: { city: 'Lisbon' }, accept: { city: ['Lisbon', 'Lisboa'] }, needs: [] });
    // The call itself matched the expected call at run time, and the session passed.
    expect(run.sessions[0]?.turns[0]?.calls.map((c) => c.node)).toEqual(['porto', 'coimbra', 'lisbon', 'lagos']);
    expect(run.sessions[0]?.status).toBe('completed');
  });

  it('scores adherence 1.0 from the run file alone, in the plan metrics and in plans.csv', async () => {
    const run = readRun(dir);
    const session = run.sessions[0];
    if (!session) throw new Error('no session');
    expect(planMetrics(session, run.manifest.scenarios[0]?.dag ?? [])).toMatchObject({ parsed: true, groups: 1, valid: true, missingNodes: [], extraCalls: 0, followed: 4, adherence: 1 });
    expect(runPlanSummaries(run.manifest, run.sessions)).toMatchObject([{ variantId: 'json-plan', sessions: 1, parsed: 1, meanAdherence: 1 }]);
    await reportRun(run, {}, ['csv']);
    const rows = parse(readFileSync(join(dir, 'plans.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['variant'], r['mean_adherence']])).toEqual([['json-plan', '1']]);
  });

  it('without accept in the task graph (as format 1 stored it) the same plan scores 0.75: the Lisboa call stands for no expected call', () => {
    const file = join(dir, 'run.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as RunManifest;
    const stripped = { ...manifest, scenarios: manifest.scenarios.map((s) => ({ ...s, dag: s.dag.map(({ accept: _a, ...n }) => n) })) };
    writeFileSync(file, JSON.stringify(stripped));
    const run = readRun(dir);
    const session = run.sessions[0];
    if (!session) throw new Error('no session');
    expect(planMetrics(session, run.manifest.scenarios[0]?.dag ?? [])).toMatchObject({ missingNodes: ['lisbon'], extraCalls: 1, followed: 3, adherence: 0.75 });
  });
});
